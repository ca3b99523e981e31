import type { Row } from "../rows.js";

/** The rows of one type, as a new array (the input is never touched). */
export function ofType<T extends Row["type"]>(rows: readonly Row[], type: T): Extract<Row, { type: T }>[] {
  return rows.filter((r): r is Extract<Row, { type: T }> => r.type === type);
}

/** True for numbers a log scale can place (finite and > 0). */
export function positive(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v > 0;
}

/** Picks at most `max` evenly spaced items, always keeping the first and last. */
export function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  if (max <= 1) return items.slice(-1);
  const picked: T[] = [];
  for (let i = 0; i < max; i++) picked.push(items[Math.round((i * (items.length - 1)) / (max - 1))]!);
  return picked;
}
