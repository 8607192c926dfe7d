export async function runSimulate(_argv: string[]): Promise<number | undefined> {
  console.error('bosh-graphql simulate: not implemented yet');
  return 1;
}
