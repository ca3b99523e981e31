import type { ViewOptions } from "../viewOptions.js";

/** Plot.plot's options for the fields of ViewOptions that are set (so undefined never overrides a default). */
export function plotFrame(options: ViewOptions, height: number) {
  const { width, title, caption, document } = options;
  return {
    height: options.height ?? height,
    ...(width !== undefined && { width }),
    ...(title !== undefined && { title }),
    ...(caption !== undefined && { caption }),
    ...(document !== undefined && { document }),
  };
}
