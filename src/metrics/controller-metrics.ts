// The controller's Prometheus metrics. MetalLB's names (reference §8) under the barelb_ prefix,
// so existing dashboards map one to one, plus pending Services by reason.

import { Counter, Gauge, type Registry } from 'prom-client';
import type { AllocationPlan, ServiceDecision } from '../ipam/plan.ts';

export type ControllerMetrics = {
  readonly observePlan: (plan: AllocationPlan) => void;
  readonly configLoaded: (ok: boolean) => void;
  readonly configStale: (stale: boolean) => void;
  readonly stateWrite: (ok: boolean) => void;
  /** Nodes whose frr.conf the controller's dry run cannot render. */
  readonly renderFailures: (nodes: number) => void;
};

/** Gauges cannot hold bigint; an IPv6 /64 reads as 1.8e19, which is what a float can say. */
const num = (v: bigint): number => Number(v);

export function controllerMetrics(registry: Registry): ControllerMetrics {
  const reg = { registers: [registry] };
  const g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, ...reg });
  const total = g('barelb_allocator_addresses_total', 'Usable addresses in the pool', ['pool']);
  const total4 = g('barelb_allocator_ipv4_addresses_total', 'Usable IPv4 addresses in the pool', ['pool']);
  const total6 = g('barelb_allocator_ipv6_addresses_total', 'Usable IPv6 addresses in the pool', ['pool']);
  const used = g('barelb_allocator_addresses_in_use_total', 'Addresses in use in the pool (a shared IP counts once)', ['pool']);
  const used4 = g('barelb_allocator_ipv4_addresses_in_use_total', 'IPv4 addresses in use in the pool', ['pool']);
  const used6 = g('barelb_allocator_ipv6_addresses_in_use_total', 'IPv6 addresses in use in the pool', ['pool']);
  const services = g('barelb_allocator_services_allocated_total', 'Services holding addresses from the pool', ['pool']);
  const pending = g('barelb_controller_services_pending', 'Services waiting for an address, by reason code', ['reason']);
  const loaded = g('barelb_k8s_client_config_loaded_bool', '1 once a valid configuration has been loaded');
  const stale = g('barelb_k8s_client_config_stale_bool', '1 while the newest configuration is invalid and the last valid one is in force');
  const renderFailures = g('barelb_controller_frr_render_failures', 'Nodes whose frr.conf cannot be rendered from the current configuration (dry run)');
  const writes = new Counter({ name: 'barelb_controller_state_writes_total', help: 'Allocation state writes', labelNames: ['result'], ...reg });

  return {
    observePlan(plan) {
      for (const m of [total, total4, total6, used, used4, used6, services]) m.reset();
      for (const p of plan.pools) {
        const v4 = p.assignedIPv4 + p.availableIPv4;
        const v6 = p.assignedIPv6 + p.availableIPv6;
        total.set({ pool: p.name }, num(v4 + v6));
        total4.set({ pool: p.name }, num(v4));
        total6.set({ pool: p.name }, num(v6));
        used.set({ pool: p.name }, num(p.assignedIPv4 + p.assignedIPv6));
        used4.set({ pool: p.name }, num(p.assignedIPv4));
        used6.set({ pool: p.name }, num(p.assignedIPv6));
        services.set({ pool: p.name }, 0);
      }
      // Counted here and set once per label: prom-client hashes the labels of every inc(), which at
      // 10 000 Services was most of the garbage a controller round made.
      const byPool = new Map<string, number>();
      const byReason = new Map<string, number>();
      // Index loops over the Services here and in the other per-round walks: for-of allocates an
      // iterator result per element until the function is optimized, and these run once a round.
      for (let i = 0; i < plan.services.length; i += 1) {
        const d = plan.services[i] as ServiceDecision;
        if (d.state === 'allocated') byPool.set(d.pool, (byPool.get(d.pool) ?? 0) + 1);
        else if (d.state === 'pending') byReason.set(d.reason, (byReason.get(d.reason) ?? 0) + 1);
      }
      for (const [pool, n] of byPool) services.set({ pool }, n);
      pending.reset();
      for (const [reason, n] of byReason) pending.set({ reason }, n);
    },
    configLoaded: (ok) => loaded.set(ok ? 1 : 0),
    configStale: (s) => stale.set(s ? 1 : 0),
    stateWrite: (ok) => writes.inc({ result: ok ? 'ok' : 'error' }),
    renderFailures: (n) => renderFailures.set(n),
  };
}
