import { ProxyTracerProvider, propagation, trace } from '@opentelemetry/api';

/**
 * An SDK registered a tracer provider, or at least a propagator (then a caller's context is still
 * worth passing on). Without either every span is a no-op and callers skip the work around it.
 */
export function tracingActive(tracerName: string): boolean {
  const provider = trace.getTracerProvider();
  if (!(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer(tracerName) !== undefined) return true;
  return propagation.fields().length > 0;
}
