// Test-only: a jsdom document for rendering views in Node, and a stable serialisation for SVG snapshots.
import { JSDOM } from "jsdom";

/**
 * A fresh jsdom document. jsdom has no canvas, and Plot draws continuous colour legends into one
 * (a 256×1 ramp turned into a data URL), so the canvas gets a no-op 2-D context and a fixed URL.
 */
export function testDocument(): Document {
  const { window } = new JSDOM("<!doctype html><html><body></body></html>");
  const proto = window.HTMLCanvasElement.prototype as unknown as Record<string, unknown>;
  proto.getContext = () => ({ fillRect() {}, fillStyle: "" });
  proto.toDataURL = () => "data:image/png;base64,stub";
  return window.document;
}

/** The figure's markup, one tag per line so snapshot diffs stay readable. */
export function serialize(figure: Element): string {
  return figure.outerHTML.replace(/></g, ">\n<") + "\n";
}

/** Every element matching `selector` inside `figure`. */
export function all(figure: Element, selector: string): Element[] {
  return [...figure.querySelectorAll(selector)];
}

/** Freezes rows deeply so a test fails if a view writes to them. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
