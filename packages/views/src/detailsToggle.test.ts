import { describe, expect, it } from "vitest";
import { detailsToggle } from "@gradscope/views";
import { testDocument } from "./internal/testing/dom.js";

describe("detailsToggle", () => {
  const document = testDocument();

  it("is closed, says what it holds, and carries an input's value and events", () => {
    const select = document.createElement("select");
    for (const v of ["1", "2"]) select.append(Object.assign(document.createElement("option"), { value: v, textContent: v }));
    const details = detailsToggle("Engineering detail: threads", [select, "2 threads need a cross-origin-isolated page."], { document });
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")!.textContent).toBe("Engineering detail: threads");
    expect(details.querySelector("p")!.textContent).toBe("2 threads need a cross-origin-isolated page.");
    expect((details as unknown as { value: string }).value).toBe("1");
    let heard = 0;
    details.addEventListener("input", () => heard++);
    select.value = "2";
    select.dispatchEvent(new document.defaultView!.Event("input", { bubbles: true }));
    expect(heard).toBe(1);
    expect((details as unknown as { value: string }).value).toBe("2");
  });
});
