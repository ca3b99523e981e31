/*
 * erf and erfc in float64, a TypeScript port of the rational approximations of fdlibm's s_erf.c
 * (Sun Microsystems, 1993: "Permission to use, copy, modify, and distribute this software is freely
 * granted, provided that this notice is preserved."). Error below 1 ulp on the whole line.
 *
 * Phases, on |x|:
 *   [0, 0.84375)    erf(x) = x + x·P(x²)/Q(x²)                (erf(x)/x − 1 ≈ 2/√π − 1 near 0)
 *   [0.84375, 1.25) erf(x) = erx + P(s)/Q(s), s = |x| − 1       (erx = erf(1) rounded to 24 bits)
 *   [1.25, 1/0.35)  erfc(x) = exp(−x² − 0.5625 + R(1/x²)/S(1/x²)) / x
 *   [1/0.35, 28)    the same with another R/S
 *   beyond          erf = ±1, erfc = 0 (or 2)
 * Where erf is computed as 1 − erfc, the cancellation happens in the last phase only, below 0.08.
 * Why not Abramowitz–Stegun 7.1.26: its error of 1.5e-7 is far above what a 1e-6 finite-difference
 * gradient check of GELU can tolerate.
 */

const erx = 8.45062911510467529297e-1;
// erf on [0, 0.84375)
const efx = 1.28379167095512586316e-1;
const efx8 = 1.02703333676410069053e0;
const pp0 = 1.28379167095512558561e-1;
const pp1 = -3.25042107247001499370e-1;
const pp2 = -2.84817495755985104766e-2;
const pp3 = -5.77027029648944159157e-3;
const pp4 = -2.37630166566501626084e-5;
const qq1 = 3.97917223959155352819e-1;
const qq2 = 6.50222499887672944485e-2;
const qq3 = 5.08130628187576562776e-3;
const qq4 = 1.32494738004321644526e-4;
const qq5 = -3.96022827877536812320e-6;
// erf on [0.84375, 1.25)
const pa0 = -2.36211856075265944077e-3;
const pa1 = 4.14856118683748331666e-1;
const pa2 = -3.72207876035701323847e-1;
const pa3 = 3.18346619901161753674e-1;
const pa4 = -1.10894694282396677476e-1;
const pa5 = 3.54783043256182359371e-2;
const pa6 = -2.16637559486879084300e-3;
const qa1 = 1.06420880400844228286e-1;
const qa2 = 5.40397917702171048937e-1;
const qa3 = 7.18286544141962662868e-2;
const qa4 = 1.26171219808761642112e-1;
const qa5 = 1.36370839120290507362e-2;
const qa6 = 1.19844998467991074170e-2;
// erfc on [1.25, 1/0.35)
const ra0 = -9.86494403484714822705e-3;
const ra1 = -6.93858572707181764372e-1;
const ra2 = -1.05586262253232909814e1;
const ra3 = -6.23753324503260060396e1;
const ra4 = -1.62396669462573470355e2;
const ra5 = -1.84605092906711035994e2;
const ra6 = -8.12874355063065934246e1;
const ra7 = -9.81432934416914548592e0;
const sa1 = 1.96512716674392571292e1;
const sa2 = 1.37657754143519042600e2;
const sa3 = 4.34565877475229228821e2;
const sa4 = 6.45387271733267880336e2;
const sa5 = 4.29008140027567833386e2;
const sa6 = 1.08635005541779435134e2;
const sa7 = 6.57024977031928170135e0;
const sa8 = -6.04244152148580987438e-2;
// erfc on [1/0.35, 28)
const rb0 = -9.86494292470009928597e-3;
const rb1 = -7.99283237680523006574e-1;
const rb2 = -1.77579549177547519889e1;
const rb3 = -1.60636384855821916062e2;
const rb4 = -6.37566443368389627722e2;
const rb5 = -1.02509513161107724954e3;
const rb6 = -4.83519191608651397019e2;
const sb1 = 3.03380607434824582924e1;
const sb2 = 3.25792512996573918826e2;
const sb3 = 1.53672958608443695994e3;
const sb4 = 3.19985821950859553908e3;
const sb5 = 2.55305040643316442583e3;
const sb6 = 4.74528541206955367215e2;
const sb7 = -2.24409524465858183362e1;

/** erf(a)/a − 1 for 0 ≤ a < 0.84375. */
function smallRatio(a: number): number {
  const z = a * a;
  const r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
  const s = 1 + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
  return r / s;
}

/** erf(a) − erx for 0.84375 ≤ a < 1.25. */
function nearOne(a: number): number {
  const s = a - 1;
  const p = pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6)))));
  const q = 1 + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6)))));
  return p / q;
}

/** erfc(a) for 1.25 ≤ a < 28. */
function tail(a: number): number {
  const s = 1 / (a * a);
  let r: number;
  let q: number;
  if (a < 1 / 0.35) {
    r = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
    q = 1 + s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
  } else {
    r = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
    q = 1 + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
  }
  // exp(−a²) with a² split exactly: z has 24 significant bits, so z·z is exact in float64
  // (fdlibm clears the low word instead; fround does the same job without touching bytes)
  const z = Math.fround(a);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - a) * (z + a) + r / q)) / a;
}

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, accurate to below 1 ulp in float64
 * (port of fdlibm's s_erf.c). Odd; erf(±∞) = ±1; NaN stays NaN.
 * @example erf(1); // 0.8427007929497149
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (!(a < 6)) return Number.isNaN(x) ? x : Math.sign(x); // |erf(x)| rounds to 1 beyond 6
  if (a < 0.84375) {
    if (a < 2 ** -28) return a < 2 ** -1018 ? 0.125 * (8 * x + efx8 * x) : x + efx * x; // avoid underflow
    return x + x * smallRatio(a);
  }
  const y = a < 1.25 ? erx + nearOne(a) : 1 - tail(a);
  return x < 0 ? -y : y;
}

/**
 * The complementary error function erfc(x) = 1 − erf(x), computed without the cancellation of
 * 1 − erf(x) for large x (so Φ(x) = erfc(−x/√2)/2 stays accurate far in the left tail).
 * @example erfc(3); // 2.209049699858544e-5
 */
export function erfc(x: number): number {
  const a = Math.abs(x);
  if (Number.isNaN(x)) return x;
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x;
    const y = x * smallRatio(a);
    return x < 0.25 ? 1 - (x + y) : 0.5 - (y + (x - 0.5));
  }
  if (a < 1.25) {
    const d = nearOne(a);
    return x > 0 ? 1 - erx - d : 1 + (erx + d);
  }
  if (a < 28) {
    if (x < -6) return 2;
    const t = tail(a);
    return x > 0 ? t : 2 - t;
  }
  return x > 0 ? 0 : 2;
}
