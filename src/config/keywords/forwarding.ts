/**
 * `lvs_method` / `lb_kind` / `sorry_server_lvs_method`: NAT|DR|TUN [type ipip|gue|gre] [port N]
 * [nocsum|csum|remcsum] (keepalived check/check_parser.c svr_forwarding_handler).
 */
import type { Forwarding } from '../../model/config.js';
import { bad, ok, parseInteger, type ValueParser } from './values.js';

export const NAT: Forwarding = { method: 'masq', tunType: 'ipip', tunPort: 0, tunCsum: 'nocsum' };

const METHODS = { NAT: 'masq', DR: 'route', TUN: 'tunnel' } as const;
const TUN_TYPES = ['ipip', 'gue', 'gre'] as const;
const CSUMS = ['nocsum', 'csum', 'remcsum'] as const;

export const forwarding: ValueParser<Forwarding> = (args) => {
  const m = args[0];
  if (m === undefined) return bad('needs NAT, DR or TUN');
  if (!Object.hasOwn(METHODS, m)) return bad(`must be NAT, DR or TUN, not "${m}"`);
  const method = METHODS[m as keyof typeof METHODS];
  let tunType: Forwarding['tunType'] = 'ipip';
  let tunPort = 0;
  let tunCsum: Forwarding['tunCsum'] = 'nocsum';
  for (let i = 1; i < args.length; i++) {
    const opt = args[i]!;
    if (opt === 'type' || opt === 'port') {
      const v = args[++i];
      if (v === undefined) return bad(`option ${opt} needs a value`);
      if (opt === 'type') {
        const t = TUN_TYPES.find((x) => x === v);
        if (!t) return bad(`tunnel type must be ipip, gue or gre, not "${v}"`);
        tunType = t;
      } else {
        const p = parseInteger(v, false);
        if (p === null || p < 1 || p > 65535) return bad(`tunnel port must be from 1 to 65535, not "${v}"`);
        tunPort = p;
      }
    } else {
      const c = CSUMS.find((x) => x === opt);
      if (!c) return bad(`has unknown tunnel option "${opt}"`);
      tunCsum = c;
    }
  }
  if ((tunType === 'gue') !== (tunPort !== 0)) return bad('needs "port N" for a gue tunnel, and takes no port otherwise');
  if (tunType === 'ipip' && tunCsum !== 'nocsum') return bad('cannot use a checksum option with an ipip tunnel');
  if (tunType === 'gre' && tunCsum === 'remcsum') return bad('cannot use remcsum with a gre tunnel');
  return ok({ method, tunType, tunPort, tunCsum });
};
