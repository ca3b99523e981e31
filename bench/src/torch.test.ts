import { describe, expect, it } from "vitest";
import { blasName, TORCH_GFLOPS_FLOOR, torchBlasProblem, type TorchBlas } from "./torch.js";

// what torch_peer.py reported on this machine (torch 1.13.1 from Debian, /proc/self/maps after a product)
const reference: TorchBlas = { built: "generic", loaded: ["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"], gflops512: 6.2 };
const openblas: TorchBlas = { built: "generic", loaded: ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"], gflops512: 98 };

describe("the PyTorch peer's BLAS", () => {
  it("is named by the library loaded, else by what torch was built with", () => {
    expect(blasName(reference)).toBe("reference BLAS (netlib)");
    expect(blasName(openblas)).toBe("OpenBLAS");
    expect(blasName({ built: "mkl", loaded: ["/opt/intel/lib/libmkl_rt.so.2"], gflops512: 150 })).toBe("MKL");
    expect(blasName({ built: "mkl", loaded: [], gflops512: 150 })).toBe("MKL"); // linked statically into torch
    expect(blasName({ built: "open", loaded: [], gflops512: 90 })).toBe("BLAS_INFO=open");
  });

  it("is refused below the floor, with the Debian package to install; accepted above it", () => {
    const problem = torchBlasProblem(reference);
    expect(problem).toContain("at 6.2 GFLOP/s on one thread with reference BLAS (netlib) (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0)");
    expect(problem).toContain(`below the bench's floor of ${TORCH_GFLOPS_FLOOR}`);
    expect(problem).toContain("apt-get install -y libopenblas0-pthread, or libopenblas0");
    expect(torchBlasProblem(openblas)).toBeNull();
    expect(torchBlasProblem({ ...openblas, gflops512: TORCH_GFLOPS_FLOOR })).toBeNull();
  });
});
