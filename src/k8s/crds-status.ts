// Schemas of the kinds barelb writes: ServiceL2Status and ServiceBGPStatus (one per Service and
// announcing node, like MetalLB's) and ConfigurationState (one per component: does it run a
// valid configuration, and if not, why).

import { condition, counter, immutable, kindSchema, list, object, str, strings, type Schema } from './crds-schema.ts';
import { ageColumn, type CrdDefinition } from './crds-types.ts';

const serviceColumns = (nodeColumn: string): CrdDefinition['versions'][number]['printerColumns'] => [
  { name: nodeColumn, type: 'string', jsonPath: '.status.node' },
  { name: 'Service Name', type: 'string', jsonPath: '.status.serviceName' },
  { name: 'Service Namespace', type: 'string', jsonPath: '.status.serviceNamespace' },
  ageColumn,
];

/** The Service and node an announcement object is about: fixed once written. */
const serviceRef = {
  node: str('The node announcing the Service.', immutable('node is immutable')),
  serviceName: str('Name of the Service.', immutable('serviceName is immutable')),
  serviceNamespace: str('Namespace of the Service.', immutable('serviceNamespace is immutable')),
};

const noSpec: Schema = object({}, 'Unused: everything is in status.');

const serviceL2Status: CrdDefinition = {
  kind: 'ServiceL2Status',
  plural: 'servicel2statuses',
  versions: [{
    name: 'v1beta1',
    storage: true,
    printerColumns: serviceColumns('Allocated Node'),
    schema: kindSchema('Which node answers ARP/NDP for a LoadBalancer Service, written by that node\'s speaker.', {
      spec: noSpec,
      status: object({
        ...serviceRef,
        interfaces: list(object({ name: str('Interface name.') }, 'One interface.'), 'Interfaces the node answers on; absent when it answers on all.'),
      }, 'Observed layer 2 announcement.'),
    }),
  }],
};

const serviceBGPStatus: CrdDefinition = {
  kind: 'ServiceBGPStatus',
  plural: 'servicebgpstatuses',
  versions: [{
    name: 'v1beta1',
    storage: true,
    printerColumns: serviceColumns('Node'),
    schema: kindSchema('The BGP peers a node is configured to announce a LoadBalancer Service to, written by that node\'s speaker.', {
      spec: noSpec,
      status: object({
        ...serviceRef,
        peers: strings('Names of the BGPPeers the Service is configured to be announced to (not their session state).'),
      }, 'Observed BGP announcement.'),
    }),
  }],
};

export const configurationResults = ['Valid', 'Invalid', 'Unknown'] as const;

const configurationState: CrdDefinition = {
  kind: 'ConfigurationState',
  plural: 'configurationstates',
  versions: [{
    name: 'v1beta1',
    storage: true,
    printerColumns: [
      { name: 'Result', type: 'string', jsonPath: '.status.result' },
      { name: 'Last Error', type: 'string', jsonPath: '.status.lastError' },
      ageColumn,
    ],
    schema: kindSchema('Whether one barelb component (the controller, or the speaker of one node) runs a valid configuration.', {
      status: object({
        result: str('Valid: the last configuration read is in force. Invalid: it was rejected and the previous one stays. Unknown: not read yet.', { enum: configurationResults }),
        lastError: str('Why the last configuration was rejected, naming objects and fields; empty when valid.'),
        observedGeneration: counter('The metadata.generation this status was written for.'),
        conditions: list(condition, 'One condition per reconciler of the component.', {
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['type'],
        }),
      }, 'Observed state of the component\'s configuration.'),
    }),
  }],
};

export const statusCrds: readonly CrdDefinition[] = [serviceL2Status, serviceBGPStatus, configurationState];
