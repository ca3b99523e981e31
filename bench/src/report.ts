import { cpus } from "node:os";
import type { BenchRow } from "./run.js";
import { flops, pendingWorkloads, workloads } from "./workloads.js";

/** The bench's text output: a header, the table, then probe costs, ceiling shares and `notes`. */
export function table(rows: readonly BenchRow[], notes: readonly string[] = []): string {
  const head = ["workload", "system", "median ms", "min ms", "max ms", "rate", "× torch", "× tfjs-wasm"];
  const body = rows.map((r) => {
    const w = workloads.find((x) => x.id === r.workload)!;
    const f = flops(w);
    const rate = f ? `${(f / r.medianMs / 1e6).toFixed(1)} GFLOP/s`
      : w.kind === "activation" ? `${((r.medianMs * 1e6) / w.length).toFixed(2)} ns/elem` : "";
    const ratio = (x: number | null) => (x === null ? "–" : x.toFixed(2));
    return [r.workload, r.blas ? `${r.system} (${r.blas})` : r.system, r.medianMs.toFixed(3), r.minMs.toFixed(3), r.maxMs.toFixed(3), rate, ratio(r.ratioVsTorch), ratio(r.ratioVsTfjsWasm)];
  });
  for (const p of pendingWorkloads) body.push([p.id, "gradscope", p.why, "", "", "", "", ""]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i]!.length > 40 ? 0 : b[i]!.length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return [
    `gradscope bench · ${new Date().toISOString().slice(0, 10)} · ${cpu} × ${cpus().length} · Node ${process.version}`,
    "ratios: median ÷ the peer's median in the same run (< 1 is faster); samples interleaved across systems",
    "",
    line(head),
    ...body.map(line),
    ...probeCost(rows),
    ...normCost(rows),
    ...ceilingShares(rows),
    ...notes.map((n) => `note: ${n}`),
    "",
  ].join("\n");
}

/** What the default probes add to a W1 step, per system (issues 3 and 6: at most 10 %). */
export function probeCost(rows: readonly BenchRow[]): string[] {
  return rows.filter((r) => r.workload === "W1+probes").flatMap((p) => {
    const base = rows.find((r) => r.workload === "W1" && r.system === p.system);
    return base ? [`W1+probes / W1 (${p.system}): ${(p.medianMs / base.medianMs).toFixed(3)} (target ≤ 1.10)`] : [];
  });
}

/** What batch and layer normalisation add to a W1 step, per system (issue 13: at most 15 % on wasm). */
export function normCost(rows: readonly BenchRow[]): string[] {
  return rows.filter((r) => r.workload === "W1+batchnorm" || r.workload === "W1+layernorm").flatMap((p) => {
    const base = rows.find((r) => r.workload === "W1" && r.system === p.system);
    return base ? [`${p.workload} / W1 (${p.system}): ${(p.medianMs / base.medianMs).toFixed(3)}${p.system.includes("wasm") ? " (target ≤ 1.15)" : ""}`] : [];
  });
}

/**
 * W3 and W4 against the ceiling timed in the same rounds (ceiling.ts): W3 as a share of the
 * register-only multiply-add rate, W4 as a multiple of the bytes-only time. They say how much of
 * what the machine gave at that time a kernel used; a matrix product's share still moves with the
 * other tenants (bench/README.md, the ceiling).
 */
export function ceilingShares(rows: readonly BenchRow[]): string[] {
  const lines: string[] = [];
  const ids = [...new Set(rows.map((r) => r.workload))];
  for (const id of ids) {
    const w = workloads.find((x) => x.id === id)!;
    const ceiling = rows.find((r) => r.workload === id && r.system.startsWith("ceiling-"));
    if (!ceiling || w.kind === "mlp") continue;
    // the WebAssembly systems: the ceiling bounds them, not PyTorch's 256-bit kernels or plain JavaScript
    const others = rows.filter((r) => r.workload === id && r !== ceiling && r.system.includes("wasm"));
    if (others.length === 0) continue;
    if (w.kind === "matmul") {
      const peak = flops(w)! / ceiling.medianMs / 1e6;
      const shares = others.map((r) => `${r.system} ${Math.round((100 * ceiling.medianMs) / r.medianMs)} %`);
      lines.push(`${id} as a share of the multiply-add ceiling (${peak.toFixed(1)} GFLOP/s in the same rounds): ${shares.join(", ")}`);
    } else {
      const floor = (ceiling.medianMs * 1e6) / w.length;
      const times = others.map((r) => `${r.system} ${(r.medianMs / ceiling.medianMs).toFixed(2)}×`);
      lines.push(`${id} as a multiple of the bytes-only floor (${floor.toFixed(2)} ns/elem in the same rounds): ${times.join(", ")}`);
    }
  }
  return lines;
}
