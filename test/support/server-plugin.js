// Test-runner plugin that lets browser tests start and stop real sync servers on loopback.
// Browser code calls `executeServerCommand('sync-server', {action: 'start'})` and receives the
// server's URL. Filled in once the server exists; until then it answers no command.

/** @returns {import('@web/test-runner').TestRunnerPlugin} */
export function testServerPlugin() {
  return {
    name: 'space-kit-test-server',
    async executeCommand() {
      return undefined;
    },
  };
}
