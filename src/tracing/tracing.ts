/** The process's tracing, as the rest of the service holds it. */
export interface Tracing {
  /** Whether spans are recorded and exported (OTEL_EXPORTER_OTLP_ENDPOINT set). */
  readonly enabled: boolean;
  /** Exports what is left (for a second at most) and unregisters the SDK. */
  shutdown(): Promise<void>;
}

export const NO_TRACING: Tracing = { enabled: false, shutdown: async () => undefined };

/** What the export tells the operator: each change between working and failing once, never once per batch. */
export interface ExportWatcher {
  started(description: string): void;
  failed(reason: string, spans: number): void;
  recovered(): void;
  /** Shutdown could not export everything in time. */
  unflushed(waitedMs: number): void;
}
