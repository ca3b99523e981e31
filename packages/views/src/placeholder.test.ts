import { Subject } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { describe, expect, it } from "vitest";
import type { Row } from "@gradscope/stream";
import { liveRun, placeholder, placeholderText } from "@gradscope/views";
import { testDocument } from "./internal/testing/dom.js";

const evalRow = { type: "eval", run: "a", step: 0, loss: 2.3, accuracy: 0.1 } as Row;
const step = (s: number) => ({ type: "step", run: "a", step: s, loss: 1, accuracy: 0, lr: 0.1, ms: 1, probeMs: 0, epoch: 0 }) as Row;
const layer = (s: number, l: number) => ({ type: "layer", run: "a", step: s, layer: l, gradNormZ: 1 }) as unknown as Row;

describe("placeholderText", () => {
  it("says what the view waits for until a row it draws arrives, and nothing once the run has ended", () => {
    expect(placeholderText([], "waiting")).toBe("waiting for the first probe…");
    expect(placeholderText([], "running", { loading: "loading 3,000 digits…" })).toBe("loading 3,000 digits…");
    expect(placeholderText([evalRow], "running", { loading: "loading 3,000 digits…" })).toBe("waiting for the first probe…");
    expect(placeholderText([evalRow, step(1), layer(1, 0)], "running")).toBeUndefined();
    expect(placeholderText([evalRow, step(1)], "running", { waitFor: "boundary", text: "no boundary yet" })).toBe("no boundary yet");
    expect(placeholderText([], "error")).toBeUndefined(); // the view shows the run's error instead
    expect(placeholderText([], "completed")).toBeUndefined();
  });
});

describe("placeholder", () => {
  it("keeps the empty figure in the layout, hidden, with the words over it", () => {
    const document = testDocument();
    const figure = document.createElement("svg");
    figure.setAttribute("height", "260");
    const box = placeholder(document, figure, "waiting for the first probe…");
    expect(box.querySelector("svg")).toBe(figure);
    expect((figure.parentElement as HTMLElement).style.visibility).toBe("hidden");
    expect(box.querySelector("[role=status]")?.textContent).toBe("waiting for the first probe…");
    // a grey ghost of the last run stays visible under the words
    const ghosted = placeholder(document, document.createElement("svg"), "waiting for the first probe…", { showFigure: true });
    expect((ghosted.querySelector("svg")!.parentElement as HTMLElement).style.visibility).toBe("");
    // no figure (a view that cannot draw no rows): a plot's usual height
    expect(placeholder(document, undefined, "…").style.minHeight).toBe("240px");
  });
});

describe("liveRun views before their rows", () => {
  it("show a placeholder of their own size – loading, then waiting for the probe – replaced by the plot when rows arrive", () => {
    const scheduler = new TestScheduler(() => {});
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler, loading: "loading 3,000 digits…" });
    const document = testDocument();
    const drawn: number[] = [];
    const view = run.view((rows) => {
      drawn.push(rows.length);
      const svg = document.createElement("svg");
      svg.setAttribute("height", "260");
      svg.textContent = `${rows.filter((r) => r.type === "layer").length} layer rows`;
      return svg;
    }, { document });
    const words = () => view.querySelector(".gradscope-placeholder-text")?.textContent;

    // Phase: no row yet (the worker fetches the digits). The empty figure is drawn, hidden, at its size.
    expect(view.hasAttribute("data-placeholder")).toBe(true);
    expect(words()).toBe("loading 3,000 digits…");
    expect(view.querySelector("svg")?.getAttribute("height")).toBe("260");
    expect(drawn).toEqual([0]);

    // Phase: the step-0 evaluation is in, no step yet.
    rows$.next(evalRow);
    scheduler.flush();
    expect(words()).toBe("waiting for the first probe…");

    // Phase: step 1 and its probe. The plot itself, no placeholder.
    rows$.next(step(1));
    rows$.next(layer(1, 0));
    rows$.next(layer(1, 1));
    scheduler.flush();
    expect(view.hasAttribute("data-placeholder")).toBe(false);
    expect(view.querySelector(".gradscope-placeholder")).toBeNull();
    expect(view.firstElementChild?.textContent).toBe("2 layer rows");
  });

  it("a view waiting for other rows keeps its placeholder; a view that cannot draw no rows shows no error meanwhile", () => {
    const scheduler = new TestScheduler(() => {});
    const rows$ = new Subject<Row>();
    const run = liveRun(rows$, { scheduler });
    const document = testDocument();
    const boundary = run.view(() => document.createElement("svg"), { document, waitFor: "boundary", placeholder: "the first decision boundary comes at step 200…" });
    const strict = run.view((rows) => {
      if (rows.length === 0) throw new Error("no rows");
      return document.createElement("svg");
    }, { document });
    expect(strict.querySelector(".gradscope-error")).toBeNull();
    expect(strict.querySelector(".gradscope-placeholder-text")?.textContent).toBe("waiting for the first probe…");
    rows$.next(step(1));
    scheduler.flush();
    expect(strict.hasAttribute("data-placeholder")).toBe(false);
    expect(boundary.querySelector(".gradscope-placeholder-text")?.textContent).toBe("the first decision boundary comes at step 200…");
  });
});
