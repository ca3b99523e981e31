/** Options of {@link detailsToggle}. */
export interface DetailsToggleOptions {
  /** Open at first (default false: the detail stays out of the reader's way). */
  open?: boolean;
  /** The document to make it in (default: the global one). */
  document?: Document;
}

/**
 * A closed `<details>` toggle for engineering detail (threads, kernels, isolation) that would otherwise sit
 * among a notebook's inputs. Strings become paragraphs. When it holds an input (an `Inputs` element), the
 * toggle's `value` is that input's and its `input` events bubble up, so a notebook can `view()` it.
 *
 * @example
 * const threads = view(detailsToggle("Engineering detail: threads", Inputs.radio([1, 2], {label: "threads", value: 1})));
 */
export function detailsToggle(summary: string, content: Node | string | readonly (Node | string)[], options: DetailsToggleOptions = {}): HTMLDetailsElement {
  const doc = options.document ?? globalThis.document;
  const details = doc.createElement("details");
  details.className = "gradscope-details";
  details.open = options.open ?? false;
  details.style.cssText = "margin:0.5em 0;font:13px var(--sans-serif, system-ui)";
  const head = doc.createElement("summary");
  head.textContent = summary;
  head.style.cursor = "pointer";
  details.append(head);
  const parts = Array.isArray(content) ? content : [content as Node | string];
  for (const part of parts) {
    if (typeof part === "string") {
      const p = doc.createElement("p");
      p.textContent = part;
      p.style.margin = "0.3em 0";
      details.append(p);
    } else details.append(part);
  }
  const input = parts.find((p): p is Node & { value: unknown } => typeof p !== "string" && "value" in p);
  if (input) Object.defineProperty(details, "value", { get: () => input.value, set: (v) => (input.value = v) });
  return details;
}
