// Rendering a node's frr.conf: NodeAnnouncement -> FrrModel -> view model -> text. Pure,
// synchronous and deterministic (same input, same bytes); failures are RenderError values.

import type { Config, EndpointSliceInput, NodeInput, ServiceInput, ServiceKey } from '../../api/model.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { IP } from '../../net/ip.ts';
import { AnnounceCache, announceForNode, type AnnounceOptions, type BGPSnapshot, type NodeAnnouncement } from './announce.ts';
import { buildFrrModel, type FrrModel, type RenderOptions } from './frr-model.ts';
import type { RouterPolicy } from './policy.ts';
import { renderError, type RenderError } from './render-error.ts';
import { RenderPatcher } from './render-patch.ts';
import { frrTemplate } from './templates.ts';
import { buildViewParts, type FrrView } from './view-model.ts';
import { sameItems } from '../../core/same-items.ts';

export type { RenderOptions } from './frr-model.ts';
export type { RenderError } from './render-error.ts';

/** A node's announcement plus the configuration it came from (for BFD profiles). */
export type RenderInput = RenderOptions & { readonly config: Config; readonly node: NodeAnnouncement };

export function renderFrrConfig(input: RenderInput): Result<string, RenderError> {
  const parts = renderParts(input);
  return parts.ok ? ok(parts.value.text) : parts;
}

/** A render's text and what it was computed from (for RenderPatcher). */
export type RenderParts = { readonly text: string; readonly model: FrrModel; readonly view: FrrView; readonly policies: readonly RouterPolicy[] };

export function renderParts(input: RenderInput): Result<RenderParts, RenderError> {
  const model = buildFrrModel(input.config, input.node, input);
  if (!model.ok) return model;
  const parts = buildViewParts(model.value);
  if (!parts.ok) return parts;
  let text: string;
  try {
    text = frrTemplate()(parts.value.view);
  } catch (e) {
    // strict mode throws on a field the view model lacks: a broken invariant, reported as a value.
    return err(renderError('template-failed', `node/${input.node.node}`, '', `template failed: ${e instanceof Error ? e.message : String(e)}`));
  }
  return ok({ text, model: model.value, ...parts.value });
}

/** Decides and renders for one node of a snapshot. */
export function renderNode(snap: BGPSnapshot, nodeName: string, options: RenderOptions): Result<string, RenderError> {
  return renderFrrConfig({ ...options, config: snap.config, node: announceForNode(snap, nodeName) });
}

const sameMap = <K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean => a === b || (a.size === b.size && [...a].every(([k, v]) => b.get(k) === v));

/**
 * One node decided and rendered again and again (a speaker; the controller's dry run, per node):
 * Services unchanged since the last time are not decided again (AnnounceCache); when only Service
 * IPs changed, the last text is patched (RenderPatcher); the text is rendered whole only when
 * anything else changed. Same results as renderNode.
 */
export class NodeRenderer {
  readonly #announce = new AnnounceCache();
  #last: {
    readonly input: RenderInput;
    readonly result: Result<string, RenderError>;
    /** The last whole render's parts, until a patcher is made from them. */
    readonly parts: RenderParts | null;
    readonly patcher: RenderPatcher | null;
  } | null = null;

  announce(snap: BGPSnapshot, nodeName: string): NodeAnnouncement {
    return announceForNode(snap, nodeName, this.#announce);
  }

  render(input: RenderInput): Result<string, RenderError> {
    const last = this.#last;
    if (last !== null && sameInput(last.input, input)) return last.result;
    if (last !== null && last.result.ok && sameInput(last.input, { ...input, node: { ...input.node, ips: last.input.node.ips } })) {
      // Only Service IPs changed: patch the last text (the patcher is made on first use).
      const patcher = last.patcher ?? (last.parts === null ? null : RenderPatcher.from(last.parts));
      const text = patcher?.patch(last.input.node.ips, input.node.ips) ?? null;
      if (text !== null) {
        this.#last = { input, result: ok(text), parts: null, patcher };
        return this.#last.result;
      }
    }
    const parts = renderParts(input);
    this.#last = { input, result: parts.ok ? ok(parts.value.text) : parts, parts: parts.ok ? parts.value : null, patcher: null };
    return this.#last.result;
  }
}

function sameInput(a: RenderInput, b: RenderInput): boolean {
  return a.config === b.config && a.node.node === b.node.node && sameItems(a.node.sessions, b.node.sessions) && sameItems(a.node.ips, b.node.ips) &&
    a.hostname === b.hostname && a.logLevel === b.logLevel && a.extraConfig === b.extraConfig && sameMap(a.secretPasswords, b.secretPasswords);
}

export type DryRunOptions = Partial<RenderOptions> & Partial<AnnounceOptions>;

/**
 * Nodes whose renderer the dry run keeps between rounds (the first, by name). A kept renderer holds
 * its node's decisions and text (megabytes at 10,000 Services): the bound keeps the controller's
 * memory flat in big clusters, where the other nodes are rendered whole, as before.
 */
export const keptRenderers = 8;

/**
 * The controller's dry run: renders every node's frr.conf so an unrenderable configuration is
 * reported once, centrally. `renderers` (kept by the caller, one per node, for at most
 * `keptRenderers` nodes) make a repeated dry run cost only what changed. Defaults: hostname = node
 * name, log level informational, no Secrets (peers with a passwordSecret then fail with
 * `missing-secret`), no extra config.
 */
export function renderAllNodes(
  config: Config,
  services: readonly ServiceInput[],
  allocations: ReadonlyMap<ServiceKey, readonly IP[]>,
  nodes: readonly NodeInput[],
  slices: readonly EndpointSliceInput[],
  options: DryRunOptions = {},
  renderers?: Map<string, NodeRenderer>,
): Map<string, Result<string, RenderError>> {
  const snap: BGPSnapshot = { config, services, allocations, nodes, endpointSlices: slices, options: { ignoreExcludeLB: options.ignoreExcludeLB ?? false } };
  const out = new Map<string, Result<string, RenderError>>();
  const names = [...new Set(nodes.map((n) => n.name))].sort();
  for (const [i, name] of names.entries()) {
    // A fresh renderer (the same as renderNode) when none is kept for the node.
    const keep = renderers !== undefined && i < keptRenderers;
    const renderer = (keep ? renderers.get(name) : undefined) ?? new NodeRenderer();
    if (keep) renderers.set(name, renderer);
    out.set(name, renderer.render({
      config,
      node: renderer.announce(snap, name),
      hostname: options.hostname ?? name,
      logLevel: options.logLevel ?? 'informational',
      secretPasswords: options.secretPasswords ?? new Map(),
      extraConfig: options.extraConfig ?? null,
    }));
  }
  if (renderers !== undefined) for (const name of renderers.keys()) if (!out.has(name)) renderers.delete(name);
  return out;
}
