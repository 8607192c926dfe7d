export async function runServe(_argv: string[]): Promise<number | undefined> {
  console.error('bosh-graphql serve: not implemented yet');
  return 1;
}
