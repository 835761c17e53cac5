// Peak RSS and CPU time without GNU time: `node --require bench/maxrss.cjs ...` writes
// "wall maxRSS(KiB) user(s) system(s)" to $KL_BENCH_RSS_FILE when the process exits, in the
// shape of `/usr/bin/time -f '%e %M %U %S'`. CommonJS, as --require needs.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.KL_BENCH_RSS_FILE;
  if (!file) return;
  const u = process.resourceUsage();
  const wall = process.uptime().toFixed(2);
  writeFileSync(file, `${wall} ${u.maxRSS} ${(u.userCPUTime / 1e6).toFixed(2)} ${(u.systemCPUTime / 1e6).toFixed(2)}\n`);
});
