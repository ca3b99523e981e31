import { describe, expect, it } from "vitest";
import { erf, erfc } from "./erf.js";

// Reference values from mpmath at 40 digits, rounded to float64.
const erfTable: [number, number][] = [
  [1e-10, 1.1283791670955126e-10],
  [0.1, 0.1124629160182849],
  [0.3, 0.3286267594591274],
  [0.5, 0.5204998778130465],
  [0.8, 0.7421009647076605],
  [0.84375, 0.7672256612323416],
  [0.9, 0.7969082124228322],
  [1, 0.8427007929497149],
  [1.2, 0.9103139782296353],
  [1.25, 0.9229001282564583],
  [1.5, 0.9661051464753108],
  [2, 0.9953222650189527],
  [2.5, 0.999593047982555],
  [2.857142857142857, 0.9999466876886117],
  [3, 0.9999779095030014],
  [4, 0.9999999845827421],
  [5, 0.9999999999984626],
  [5.9, 0.9999999999999999],
  [-0.7, -0.6778011938374184],
  [-1.1, -0.8802050695740817],
  [-2.2, -0.9981371537020182],
];
const erfcTable: [number, number][] = [
  [0.1, 0.887537083981715],
  [0.3, 0.6713732405408726],
  [0.9, 0.20309178757716786],
  [1.2, 0.08968602177036464],
  [2, 0.004677734981047266],
  [3, 2.209049699858544e-5],
  [5, 1.537459794428035e-12],
  [10, 2.088487583762545e-45],
  [20, 5.395865611607901e-176],
  [-0.5, 1.5204998778130465],
  [-1, 1.8427007929497148],
  [-3, 1.9999779095030015],
];

/** Distance in units in the last place of `want`. */
const ulps = (got: number, want: number) => Math.abs(got - want) / (Number.EPSILON * 2 ** Math.floor(Math.log2(Math.abs(want))));

describe("erf", () => {
  it("matches known values to 1e-15", () => {
    expect(Math.abs(erf(0.5) - 0.5204998778130465)).toBeLessThan(1e-15);
    expect(Math.abs(erf(1) - 0.8427007929497149)).toBeLessThan(1e-15);
    expect(Math.abs(erf(2) - 0.9953222650189527)).toBeLessThan(1e-15);
    expect(Math.abs(erf(3) - 0.9999779095030014)).toBeLessThan(1e-15);
  });
  it.each(erfTable)("erf(%s) is within 1 ulp of %s", (x, want) => {
    expect(ulps(erf(x), want)).toBeLessThanOrEqual(1);
  });
  it("is odd, bounded by ±1, and handles the edges", () => {
    for (let x = -7; x <= 7; x += 0.0137) expect(erf(-x)).toBe(-erf(x));
    expect(erf(0)).toBe(0);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(6)).toBe(1);
    expect(erf(-1e4)).toBe(-1);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(NaN)).toBeNaN();
    expect(erf(5e-324)).toBeGreaterThan(0);
  });
  it("is monotone across its phase boundaries", () => {
    for (const b of [0.84375, 1.25, 1 / 0.35, 6]) {
      let prev = erf(b - 1e-9);
      for (let i = -999; i <= 1000; i++) {
        const y = erf(b + i * 1e-12);
        expect(y).toBeGreaterThanOrEqual(prev);
        prev = y;
      }
    }
  });
});

describe("erfc", () => {
  it.each(erfcTable)("erfc(%s) is within 1 ulp of %s", (x, want) => {
    expect(ulps(erfc(x), want)).toBeLessThanOrEqual(1);
  });
  it("agrees with 1 − erf where no cancellation occurs, and handles the edges", () => {
    for (let x = -0.8; x <= 0.8; x += 0.01) expect(Math.abs(erfc(x) - (1 - erf(x)))).toBeLessThan(3e-16);
    expect(erfc(0)).toBe(1);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(NaN)).toBeNaN();
  });
});
