/**
 * One colour per activation, initialisation and run name, the same on every chart of every notebook and
 * report, so a reader learns "ReLU is red" once. Names are matched on their leading words, ignoring case
 * and punctuation: "relu", "ReLU (he)" and "relu · seed 2" are all ReLU's red; "Leaky ReLU, α = 0.1" is
 * Leaky ReLU's orange; "RReLU, paper law" is RReLU's pink.
 */

/** What a name denotes: an activation, an initialisation, or any run name (activations, inits and precisions are recognised). */
export type ColorKind = "activation" | "init" | "run";

/** Tableau 10 hues (legible on white, distinct for colour-blind readers in the pairs compared most: ReLU family vs sigmoid/tanh). */
export const activationColors: Readonly<Record<string, string>> = Object.freeze({
  sigmoid: "#4e79a7", // blue
  tanh: "#76b7b2", // teal
  relu: "#e15759", // red
  leakyRelu: "#f28e2b", // orange
  prelu: "#b07aa1", // purple
  rrelu: "#ff9da7", // pink
  elu: "#59a14f", // green
  selu: "#8cd17d", // light green
  celu: "#3d7a35", // dark green
  gelu: "#b6992d", // dark yellow
  silu: "#9c755f", // brown (= swish)
  swish: "#9c755f",
  mish: "#d37295", // magenta
  softplus: "#499894", // dark teal
  softsign: "#a0cbe8", // light blue
  hardTanh: "#2f5d87", // dark blue
  hardSigmoid: "#86bcb6", // pale teal
  identity: "#79706e", // grey
});

/** Initialisations: grey for the old "standard" heuristic, blue for Glorot (tanh/sigmoid), red for He (ReLU). */
export const initColors: Readonly<Record<string, string>> = Object.freeze({
  standard: "#7f7f7f",
  glorot: "#1f77b4",
  glorotNormal: "#6baed6",
  he: "#d62728",
  heNormal: "#ff9896",
  lecun: "#2ca02c",
  zeros: "#222222",
});

/** Precisions, for runs named after them. */
export const precisionColors: Readonly<Record<string, string>> = Object.freeze({
  float32: "#d95f02",
  float64: "#1b9e77",
});

/** Colours for names that are none of the above, picked by a stable hash of the name (Dark2 and friends). */
export const otherColors: readonly string[] = Object.freeze([
  "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666", "#17becf", "#8c564b",
]);

// Other spellings of the same thing, keyed by the normalised form (lower case, letters and digits only).
const aliases: Record<string, string> = {
  leaky: "leakyRelu", lrelu: "leakyRelu", kaiming: "he", kaimingnormal: "heNormal", xavier: "glorot",
  xaviernormal: "glorotNormal", glorotuniform: "glorot", heuniform: "he", lecunnormal: "lecun",
};

const normalised = (table: Readonly<Record<string, string>>) =>
  new Map(Object.keys(table).map((k) => [k.toLowerCase(), k]));
const activationKeys = normalised(activationColors);
const initKeys = normalised(initColors);
const precisionKeys = normalised(precisionColors);

/** The canonical key a name's leading words spell in `keys` ("Leaky ReLU, α = 0.1" → "leakyRelu"), if any. */
function lookup(name: string, keys: ReadonlyMap<string, string>): string | undefined {
  const words = name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  for (let n = words.length; n > 0; n--) {
    const joined = words.slice(0, n).join("").toLowerCase();
    const key = keys.get(joined) ?? (keys.has((aliases[joined] ?? "").toLowerCase()) ? aliases[joined] : undefined);
    if (key !== undefined) return key;
  }
  return undefined;
}

function hashed(name: string): string {
  let h = 2166136261; // FNV-1a: stable across pages and processes
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return otherColors[(h >>> 0) % otherColors.length]!;
}

/**
 * The activation's colour; a name that is not a known activation gets a stable colour of its own.
 * @example activationColor("relu") // "#e15759", on every chart
 */
export function activationColor(name: string): string {
  const key = lookup(name, activationKeys);
  return key === undefined ? hashed(name) : activationColors[key]!;
}

/**
 * The initialisation's colour; an unknown name gets a stable colour of its own.
 * @example initColor("he") // "#d62728"
 */
export function initColor(name: string): string {
  const key = lookup(name, initKeys);
  return key === undefined ? hashed(name) : initColors[key]!;
}

/**
 * A run's colour: an activation's, an initialisation's or a precision's when the name starts with one
 * ("relu", "glorot", "float32 run"), otherwise a stable colour of its own.
 * @example runColor("Leaky ReLU, α = 1/5.5") === activationColor("leakyRelu") // true
 */
export function runColor(name: string): string {
  for (const [keys, table] of [[activationKeys, activationColors], [initKeys, initColors], [precisionKeys, precisionColors]] as const) {
    const key = lookup(name, keys);
    if (key !== undefined) return table[key]!;
  }
  return hashed(name);
}

/**
 * The colour of a name of the given kind.
 * @example colorOf("activation", "tanh") // "#76b7b2"
 */
export function colorOf(kind: ColorKind, name: string): string {
  return kind === "activation" ? activationColor(name) : kind === "init" ? initColor(name) : runColor(name);
}

/**
 * A Plot colour scale for these names, in this order (the legend's order): each name keeps its colour
 * from {@link colorOf}, except that a name whose colour another name earlier in the list already has
 * (two RReLU runs, two unknown names hashing alike) gets the first colour not yet used, so one chart
 * never shows two series in one colour.
 *
 * @example
 * Plot.plot({ color: { ...colorScale(["relu", "elu"], "activation"), legend: true }, marks: [...] });
 */
export function colorScale(names: readonly string[], kind: ColorKind = "run"): { type: "ordinal"; domain: string[]; range: string[] } {
  const domain = [...new Set(names)];
  const used = new Set<string>();
  const spare = [...otherColors, ...Object.values(activationColors), ...Object.values(initColors)];
  const range = domain.map((name) => {
    let color = colorOf(kind, name);
    if (used.has(color)) color = spare.find((c) => !used.has(c)) ?? color;
    used.add(color);
    return color;
  });
  return { type: "ordinal", domain, range };
}

/** Words of the layer colour key; notebooks say the same ("light = input side"). */
export const LAYER_KEY = "layer (light = input side, dark = output)";

/**
 * The one sequential layer scale of every per-layer chart: viridis, reversed so that layer 0 (the input
 * side) is light and the output layer dark, on a fixed domain 0…L−1 (a layer that drew nothing keeps its
 * colour). Spread it into Plot's `color` option.
 *
 * @example
 * Plot.plot({ color: { ...layerColor(20), legend: true }, marks: [Plot.lineY(rows, { x: "step", y: "deadFrac", z: "layer", stroke: "layer" })] });
 */
export function layerColor(layers: number) {
  return {
    type: "linear" as const,
    scheme: "viridis" as const,
    reverse: true,
    range: [0.15, 1], // viridis' last 15 % is too pale to read as a line on white
    domain: [0, Math.max(1, layers - 1)],
    label: LAYER_KEY,
    tickFormat: "d",
    marginLeft: 12, // the key's "0" tick is not cut at the page's edge
  };
}
