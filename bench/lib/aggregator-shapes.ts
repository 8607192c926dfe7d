/** The aggregator benchmark's three documents, sent as they are by the load client to both servers. */
export const SHAPES = {
  page: '{ deployments { name releases { version release { name } } stemcells { operatingSystem deployments { name } } } }',
  vms: '{ deployments { vms { cid } } }',
  trivial: '{ __typename }',
} as const;

export type Shape = keyof typeof SHAPES;
export const SHAPE_LABELS: Record<Shape, string> = {
  page: 'deployments page',
  vms: 'VMs of every deployment',
  trivial: '{ __typename }',
};
