import type * as Plot from "@observablehq/plot";

/**
 * Names a mark's group (`<g aria-label="zero band">`). Plot's `ariaLabel` option labels each element,
 * while the group keeps the mark's type ("rect"); tests and screen readers find the group by this name.
 */
export function named<M extends Plot.Mark>(mark: M, label: string): M {
  (mark as unknown as { ariaLabel: string }).ariaLabel = label;
  return mark;
}
