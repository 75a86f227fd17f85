// throwaway: a signal sent outside process/, to show the lint refuses it
export function killDemo(pid: number): void {
  process.kill(pid, 'SIGKILL');
}
