// Kubernetes label selectors (metav1.LabelSelector) and their evaluation against a label set.

export type Labels = Readonly<Record<string, string>>;

export const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof selectorOperators)[number];

export type SelectorRequirement = {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
};

/** A parsed selector. The empty selector (no labels, no expressions) matches everything. */
export type LabelSelector = {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly SelectorRequirement[];
};

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions) {
    const has = Object.hasOwn(labels, req.key);
    const value = labels[req.key];
    switch (req.operator) {
      case 'In':
        if (!has || !req.values.includes(value ?? '')) return false;
        break;
      case 'NotIn':
        if (has && req.values.includes(value ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** Stable text form, for duplicate detection and messages: "a=b,k in (x,y)". */
export function selectorText(selector: LabelSelector): string {
  const parts = Object.keys(selector.matchLabels)
    .sort()
    .map((k) => `${k}=${selector.matchLabels[k]}`);
  for (const r of selector.matchExpressions) {
    const values = [...r.values].sort().join(',');
    parts.push(r.operator === 'In' || r.operator === 'NotIn' ? `${r.key} ${r.operator.toLowerCase()} (${values})` : r.operator === 'Exists' ? r.key : `!${r.key}`);
  }
  return parts.sort().join(',');
}
