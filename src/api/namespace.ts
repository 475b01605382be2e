// The v1 Namespace kind: only its name and labels, for pools' namespaceSelectors.

import type { Labels } from './labels.ts';
import type { NamespaceInput } from './model.ts';

export const readNamespace = (name: string, labels: Labels): NamespaceInput => ({ name, labels });
