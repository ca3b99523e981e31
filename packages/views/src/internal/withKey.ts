import * as Plot from "@observablehq/plot";

type Figure = ReturnType<typeof Plot.plot>;

/**
 * Puts a swatch key (words → colour) above a figure's plot, beside its colour ramp, for colours the ramp
 * does not explain (exact zeros, empty cells): a reader must not take them for values. A bare SVG is
 * wrapped in a figure that still answers `scale` and `legend`.
 */
export function withKey(figure: Figure, entries: readonly (readonly [words: string, color: string])[], label: string, document: Document): Figure {
  const key = Plot.legend({ document, color: { type: "ordinal", domain: entries.map((e) => e[0]), range: entries.map((e) => e[1]) } } as unknown as Parameters<typeof Plot.legend>[0]);
  key.setAttribute("aria-label", label);
  if (figure.tagName.toLowerCase() === "figure") {
    figure.insertBefore(key, figure.querySelector(":scope > svg"));
    return figure;
  }
  const wrapper = document.createElement("figure") as unknown as Figure;
  wrapper.style.margin = "0";
  wrapper.append(key, figure);
  wrapper.scale = figure.scale.bind(figure);
  wrapper.legend = figure.legend.bind(figure);
  return wrapper;
}
