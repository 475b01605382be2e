// Rendering a node's frr.conf: NodeAnnouncement -> FrrModel -> view model -> text. Pure,
// synchronous and deterministic (same input, same bytes); failures are RenderError values.

import type { Config, EndpointSliceInput, NodeInput, ServiceInput, ServiceKey } from '../../api/model.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { IP } from '../../net/ip.ts';
import { announceForNode, type AnnounceOptions, type BGPSnapshot, type NodeAnnouncement } from './announce.ts';
import { buildFrrModel, type RenderOptions } from './frr-model.ts';
import { renderError, type RenderError } from './render-error.ts';
import { frrTemplate } from './templates.ts';
import { buildView } from './view-model.ts';

export type { RenderOptions } from './frr-model.ts';
export type { RenderError } from './render-error.ts';

/** A node's announcement plus the configuration it came from (for BFD profiles). */
export type RenderInput = RenderOptions & { readonly config: Config; readonly node: NodeAnnouncement };

export function renderFrrConfig(input: RenderInput): Result<string, RenderError> {
  const model = buildFrrModel(input.config, input.node, input);
  if (!model.ok) return model;
  const view = buildView(model.value);
  if (!view.ok) return view;
  let text: string;
  try {
    text = frrTemplate()(view.value);
  } catch (e) {
    // strict mode throws on a field the view model lacks: a broken invariant, reported as a value.
    return err(renderError('template-failed', `node/${input.node.node}`, '', `template failed: ${e instanceof Error ? e.message : String(e)}`));
  }
  return ok(text);
}

/** Decides and renders for one node of a snapshot. */
export function renderNode(snap: BGPSnapshot, nodeName: string, options: RenderOptions): Result<string, RenderError> {
  return renderFrrConfig({ ...options, config: snap.config, node: announceForNode(snap, nodeName) });
}

export type DryRunOptions = Partial<RenderOptions> & Partial<AnnounceOptions>;

/**
 * The controller's dry run: renders every node's frr.conf so an unrenderable configuration is
 * reported once, centrally. Defaults: hostname = node name, log level informational, no Secrets
 * (peers with a passwordSecret then fail with `missing-secret`), no extra config.
 */
export function renderAllNodes(
  config: Config,
  services: readonly ServiceInput[],
  allocations: ReadonlyMap<ServiceKey, readonly IP[]>,
  nodes: readonly NodeInput[],
  slices: readonly EndpointSliceInput[],
  options: DryRunOptions = {},
): Map<string, Result<string, RenderError>> {
  const snap: BGPSnapshot = { config, services, allocations, nodes, endpointSlices: slices, options: { ignoreExcludeLB: options.ignoreExcludeLB ?? false } };
  const out = new Map<string, Result<string, RenderError>>();
  for (const name of [...new Set(nodes.map((n) => n.name))].sort()) {
    out.set(name, renderNode(snap, name, {
      hostname: options.hostname ?? name,
      logLevel: options.logLevel ?? 'informational',
      secretPasswords: options.secretPasswords ?? new Map(),
      extraConfig: options.extraConfig ?? null,
    }));
  }
  return out;
}
