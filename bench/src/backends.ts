import { jsBackend, type Backend } from "@gradscope/core";

/** Every gradscope backend this runtime offers: js always, the WebAssembly builds when they load. */
export async function gradscopeBackends(): Promise<Backend[]> {
  const list: Backend[] = [jsBackend];
  try {
    const wasm = await import("../../packages/core/src/backend/wasm/index.js");
    list.push(...wasm.availableWasmBackends());
  } catch (e) {
    console.warn(`gradscope wasm backend unavailable: ${(e as Error).message}`);
  }
  return list;
}
