// Crashes 1.5 s after it starts, to show restarts with backoff and the 'failed' end state.
console.log('flaky: up');
setTimeout(() => {
  console.error('flaky: crashing');
  process.exit(3);
}, 1500);
