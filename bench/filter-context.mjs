// The session both command-filter benchmarks classify in: a project under /workspace, a home of
// its own, the usual temp dirs. Shared so their figures are comparable.
export const BENCH_FILTER_CONTEXT = {
  cwd: '/workspace/project',
  workspaceRoots: ['/workspace/project'],
  home: '/home/dev',
  tmpDirs: ['/tmp', '/var/tmp'],
  user: 'dev',
};
