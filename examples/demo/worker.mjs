// A background worker: says it is ready, then does a job every two seconds.
let jobs = 0;
console.log('worker ready');
const timer = setInterval(() => console.log(`worker: finished job ${++jobs}`), 2000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log(`worker: stopping after ${jobs} jobs`);
  process.exit(0);
});
