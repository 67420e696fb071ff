import { type DeliveryFilter, listDeliveries } from '../store/deliveries.ts';
import type { FlowContext } from './context.ts';

/** The delivery log an admin reads: one page of deliveries matching the filter, newest first. */
export function readDeliveryLog(flows: FlowContext, filter: DeliveryFilter, page: { skip: number; limit: number }) {
  return listDeliveries(flows.store, filter, page);
}
