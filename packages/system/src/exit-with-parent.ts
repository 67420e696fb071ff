// Preloaded (`node --import`) into every process startDeployed spawns. Its stdin is a pipe from the
// test process that nothing writes to; when it ends, the test process is gone (even killed with
// SIGKILL, which runs no exit handler), so the service shuts down as it would on SIGTERM instead
// of holding its port and its share of a 2-core machine.
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
// The pipe must not keep a service alive that is shutting down for its own reasons.
(process.stdin as { unref?: () => void }).unref?.();
