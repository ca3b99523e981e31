/** The rows views read are @gradscope/stream's (one definition, so a renamed field breaks the build here). */
export type {
  AlertKind, AlertRow, BandsRow, BoundaryRow, Distribution, EvalRow, HeaderRow, HistogramRow, LayerRow, Row, RowBase, RunStatus, StatusRow, StepRow,
} from "@gradscope/stream";
