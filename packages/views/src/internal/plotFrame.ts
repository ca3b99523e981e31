import type { ViewOptions } from "../viewOptions.js";

/** Plot.plot's options for the fields of ViewOptions that are set (so undefined never overrides a default). */
/**
 * Narrowest figure drawn. A notebook's reactive `width` can be 0 or a few pixels while its page lays
 * out; below the margins Plot's ranges invert and every rect gets a negative width (a console error
 * in browsers), so a view never goes narrower than this.
 */
export const MIN_WIDTH = 320;

export function plotFrame(options: ViewOptions, height: number) {
  const { width, title, caption, document } = options;
  return {
    height: options.height ?? height,
    ...(width !== undefined && { width: Math.max(MIN_WIDTH, Number.isFinite(width) ? width : MIN_WIDTH) }),
    ...(title !== undefined && { title }),
    ...(caption !== undefined && { caption }),
    ...(document !== undefined && { document }),
  };
}
