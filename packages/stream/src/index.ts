export * from "./rows.js";
