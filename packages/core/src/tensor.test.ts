import { describe, expect, it } from "vitest";
import { allocate, Graph, mlp, relu, tensor, type DType } from "@gradscope/core";

describe("dtypes", () => {
  it("an unknown dtype is an error naming it and the known ones", () => {
    const float16 = "float16" as DType; // what untyped JSON or JavaScript can pass
    const message = 'unknown dtype "float16" (known: float32, float64)';
    expect(() => tensor([2], float16)).toThrow(message);
    expect(() => allocate(float16, 4)).toThrow(message);
    expect(() => new Graph({ dtype: float16 })).toThrow(message);
    expect(() => mlp({ inputs: 2, outputs: 2, depth: 1, width: 2, activation: relu, dtype: float16 })).toThrow(message);
  });
  it("the known ones allocate their typed array", () => {
    expect(tensor([2, 2], "float64", [1, 2, 3, 4]).data).toEqual(Float64Array.of(1, 2, 3, 4));
    expect(allocate("float32", 3)).toEqual(new Float32Array(3));
  });
});
