"""PyTorch peer for the gradscope bench: one thread, float32, driven over stdin/stdout in JSON lines.

Requests: {"op": "setup", "workload": {...}} -> {"ok": true} | {"ok": false, "why": ...}
          {"op": "sample", "iters": n}       -> {"ms": milliseconds per run}
"""
import json
import os
import re
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
import torch  # noqa: E402  (thread variables must be set before the import)
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(1)

ACTS = {"relu": torch.relu, "sigmoid": torch.sigmoid, "elu": F.elu}


def build(w):
    kind = w["kind"]
    if kind == "mlp":
        s = w["shape"]
        sizes = [s["inputs"]] + [w["width"]] * w["depth"] + [s["outputs"]]
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < w["depth"]:
                layers.append({"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid}[w["activation"]]())
        model = torch.nn.Sequential(*layers)
        x = torch.randn(s["batch"], s["inputs"])
        y = torch.randint(0, s["outputs"], (s["batch"],))
        opt = torch.optim.SGD(model.parameters(), lr=s["lr"])

        def step():
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()

        return step
    if kind == "matmul":
        n = w["n"]
        a, b, c = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)
        return lambda: torch.mm(a, b, out=c)
    if kind == "activation":
        f = ACTS[w["activation"]]
        z = (torch.rand(w["length"]) * 8 - 4).requires_grad_()
        dy = torch.rand(w["length"]) * 2 - 1

        def run():
            f(z).backward(dy)
            z.grad = None

        return run
    return None


def blas():
    """Which BLAS torch runs and how fast: BLAS_INFO from torch.__config__.show() (what it was built against), the
    BLAS library actually loaded (Debian switches libblas.so.3 between OpenBLAS and the reference BLAS), and the
    best of five 512³ products in GFLOP/s of the process's CPU time (so a busy machine does not lower it)."""
    built = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    n = 512
    a, b, c = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)
    torch.mm(a, b, out=c)
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        torch.mm(a, b, out=c)
        best = min(best, time.process_time() - t0)
    loaded = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path)
            if re.match(r"lib(open)?blas|libmkl|libblis|libatlas|libcblas", name) and path not in loaded:
                loaded.append(os.path.realpath(path))
    return {"built": built.group(1) if built else "unknown", "loaded": loaded, "gflops512": 2 * n ** 3 / max(best, 1e-9) / 1e9}


def main():
    run = None
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "setup":
            run = build(req["workload"])
            reply = {"ok": run is not None}
        elif req["op"] == "sample":
            iters = req["iters"]
            t0 = time.perf_counter()
            for _ in range(iters):
                run()
            reply = {"ms": (time.perf_counter() - t0) * 1000 / iters}
        elif req["op"] == "info":
            reply = {"version": torch.__version__, "threads": torch.get_num_threads(), "blas": blas()}
        else:
            reply = {"error": "unknown op"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


main()
