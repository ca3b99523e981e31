import { describe, expect, it } from "vitest";
import { preluSlopes } from "@gradscope/views";
import { all, deepFreeze, serialize, testDocument } from "./internal/testing/dom.js";
import { syntheticRun } from "./internal/testing/syntheticRun.js";

describe("preluSlopes", () => {
  const document = testDocument();
  const rows = deepFreeze(syntheticRun({ layers: 4, activation: "prelu" }));

  it("draws one slope line per layer, with an optional reference", async () => {
    const figure = preluSlopes(rows, { document, reference: 0.25 });
    expect(all(figure, "g[aria-label=line] path")).toHaveLength(4);
    expect(all(figure, "g[aria-label=rule] line")).toHaveLength(1);
    await expect(serialize(figure)).toMatchFileSnapshot("__snapshots__/preluSlopes.svg");
  });

  it("ignores layers without a slope and copes with no rows", () => {
    const noAlpha = rows.map((r) => (r.type === "layer" && r.layer > 0 ? { ...r, alpha: undefined } : r));
    expect(all(preluSlopes(noAlpha, { document }), "g[aria-label=line] path")).toHaveLength(1);
    expect(all(preluSlopes([], { document }), "g[aria-label=line] path")).toHaveLength(0);
  });
});
