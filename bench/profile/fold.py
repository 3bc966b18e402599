#!/usr/bin/env python3
"""CPU by thread, and exclusive and inclusive CPU by method, from `perf script` output: JIT tiers dropped, the replicas'
samples added up, native frames without symbols counted under their library.
usage: perf script -i perf.data -F comm,pid,ip,sym,dso | fold.py [top-n] [regex the inclusive list must match]"""
import sys, re, collections
top = int(sys.argv[1]) if len(sys.argv) > 1 else 40
flt = re.compile(sys.argv[2]) if len(sys.argv) > 2 else None
tier = re.compile(r'\[(OptimizedTier1|Optimized|Tier0|Tier1|InstrumentedTier\w*|Instrumented\w*|QuickJitted|PreJIT|OptimizedTier1OSR)\]$')
def norm(sym, dso):
    if sym in ('[unknown]', '') or sym.startswith('0x'):
        d = dso.strip('()').split('/')[-1]
        if d.startswith('[JIT]'): d = 'JIT code (unresolved)'
        return '[' + d + ']'
    sym = tier.sub('', sym)
    # drop return type / instance prefix, keep [Assembly] Type::Method(args)
    m = re.search(r'\[([\w.]+)\] ([^\s(]+::[^\s(]+)\(', sym)
    if m: return m.group(2)
    return sym[:120]
samples = []; cur = []; comms = []
for line in sys.stdin:
    line = line.rstrip('\n')
    if not line.strip():
        if cur: samples.append(cur); cur = []
        continue
    if not line.startswith((' ', '\t')):
        if cur: samples.append(cur)
        cur = []; comms.append(re.sub(r'\s+\d+\s*$', '', line).strip()); continue
    parts = line.strip().split(' ', 1)
    if len(parts) < 2: continue
    rest = parts[1]
    m = re.match(r'(.*) \((.*)\)$', rest)
    sym, dso = (m.group(1), m.group(2)) if m else (rest, '')
    sym = re.sub(r'\+0x[0-9a-f]+$', '', sym)
    cur.append(norm(sym, dso))
if cur: samples.append(cur)
n = len(samples)
exc = collections.Counter(); inc = collections.Counter()
for s in samples:
    if not s: continue
    exc[s[0]] += 1
    for f in set(s): inc[f] += 1
print(f'{n} samples')
print('-- by thread')
for c, k in collections.Counter(re.sub(r'\d+$', '#', c) for c in comms).most_common(12):
    print(f'{100*k/len(comms):6.2f}%  {c}')
print('-- exclusive')
for f, c in exc.most_common(top):
    print(f'{100*c/n:6.2f}%  {f}')
print('-- inclusive' + (f' (matching {flt.pattern})' if flt else ''))
k = 0
for f, c in inc.most_common():
    if flt and not flt.search(f): continue
    print(f'{100*c/n:6.2f}%  {f}'); k += 1
    if k >= top: break
