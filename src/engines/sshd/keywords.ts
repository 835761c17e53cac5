/**
 * What the engine knows about each sshd_config keyword (OpenSSH 9.x servconf.c and
 * sshd_config(5)): its canonical lower-case name (aliases such as ChallengeResponseAuthentication
 * fold into KbdInteractiveAuthentication, as servconf.c's keyword table does), whether it may
 * appear in a Match block, whether its lines accumulate (AllowUsers, AcceptEnv, HostKey, Port,
 * ListenAddress, Subsystem, ...) instead of the first line winning, and the compiled-in default
 * sshd uses when no line sets it. Defaults are those sshd_config(5) documents for OpenSSH 9.2 and
 * that `sshd -T` prints for an empty config (Debian's compiled defaults, e.g. UsePAM no).
 */

export interface KeywordInfo {
  /** May appear inside a Match block (sshd_config(5), "Match"). */
  match: boolean;
  /** Every line adds values (servconf.c opt_array_append) instead of the first line winning. */
  cumulative: boolean;
  /** The default as `sshd -T` prints it; absent when there is none (or it depends on the host). */
  default?: string | readonly string[];
}

const M = true;
const G = false;

function k(match: boolean, def?: string | readonly string[], cumulative = false): KeywordInfo {
  return def === undefined ? { match, cumulative } : { match, cumulative, default: def };
}

export const KEYWORDS: Readonly<Record<string, KeywordInfo>> = {
  acceptenv: k(M, [], true),
  addressfamily: k(G, 'any'),
  allowagentforwarding: k(M, 'yes'),
  allowgroups: k(M, [], true),
  allowstreamlocalforwarding: k(M, 'yes'),
  allowtcpforwarding: k(M, 'yes'),
  allowusers: k(M, [], true),
  authenticationmethods: k(M, 'any'),
  authorizedkeyscommand: k(M, 'none'),
  authorizedkeyscommanduser: k(M, 'none'),
  authorizedkeysfile: k(M, '.ssh/authorized_keys .ssh/authorized_keys2'),
  authorizedprincipalscommand: k(M, 'none'),
  authorizedprincipalscommanduser: k(M, 'none'),
  authorizedprincipalsfile: k(M, 'none'),
  banner: k(M, 'none'),
  casignaturealgorithms: k(M),
  channeltimeout: k(M, 'none'),
  chrootdirectory: k(M, 'none'),
  ciphers: k(G),
  clientalivecountmax: k(M, '3'),
  clientaliveinterval: k(M, '0'),
  compression: k(G, 'yes'),
  debianbanner: k(G, 'yes'),
  denygroups: k(M, [], true),
  denyusers: k(M, [], true),
  disableforwarding: k(M, 'no'),
  exposeauthinfo: k(M, 'no'),
  fingerprinthash: k(G, 'SHA256'),
  forcecommand: k(M, 'none'),
  gatewayports: k(M, 'no'),
  gssapiauthentication: k(M, 'no'),
  gssapicleanupcredentials: k(G, 'yes'),
  gssapistrictacceptorcheck: k(G, 'yes'),
  hostbasedacceptedalgorithms: k(M),
  hostbasedauthentication: k(M, 'no'),
  hostbasedusesnamefrompacketonly: k(M, 'no'),
  hostcertificate: k(G, [], true),
  hostkey: k(G, [], true),
  hostkeyagent: k(G),
  hostkeyalgorithms: k(G),
  ignorerhosts: k(M, 'yes'),
  ignoreuserknownhosts: k(G, 'no'),
  include: k(M),
  ipqos: k(M, 'lowdelay throughput'),
  kbdinteractiveauthentication: k(M, 'yes'),
  kerberosauthentication: k(M, 'no'),
  kerberosgetafstoken: k(G, 'no'),
  kerberosorlocalpasswd: k(G, 'yes'),
  kerberosticketcleanup: k(G, 'yes'),
  kexalgorithms: k(G),
  listenaddress: k(G, ['0.0.0.0', '::'], true),
  logingracetime: k(G, '120'),
  loglevel: k(M, 'INFO'),
  logverbose: k(M, 'none'),
  macs: k(G),
  maxauthtries: k(M, '6'),
  maxsessions: k(M, '10'),
  maxstartups: k(G, '10:30:100'),
  modulifile: k(G),
  passwordauthentication: k(M, 'yes'),
  permitemptypasswords: k(M, 'no'),
  permitlisten: k(M, 'any'),
  permitopen: k(M, 'any'),
  permitrootlogin: k(M, 'prohibit-password'),
  permittty: k(M, 'yes'),
  permittunnel: k(M, 'no'),
  permituserenvironment: k(G, 'no'),
  permituserrc: k(M, 'yes'),
  persourcemaxstartups: k(G, 'none'),
  persourcenetblocksize: k(G, '32:128'),
  pidfile: k(G, '/run/sshd.pid'),
  port: k(G, ['22'], true),
  printlastlog: k(G, 'yes'),
  printmotd: k(G, 'yes'),
  pubkeyacceptedalgorithms: k(M),
  pubkeyauthentication: k(M, 'yes'),
  pubkeyauthoptions: k(M, 'none'),
  rdomain: k(M, 'none'),
  rekeylimit: k(M, 'default none'),
  requiredrsasize: k(M, '1024'),
  revokedkeys: k(M, 'none'),
  securitykeyprovider: k(G, 'internal'),
  setenv: k(M),
  streamlocalbindmask: k(M, '0177'),
  streamlocalbindunlink: k(M, 'no'),
  strictmodes: k(G, 'yes'),
  subsystem: k(G, [], true),
  syslogfacility: k(G, 'AUTH'),
  tcpkeepalive: k(G, 'yes'),
  trustedusercakeys: k(M, 'none'),
  unusedconnectiontimeout: k(M, 'none'),
  usedns: k(G, 'no'),
  usepam: k(G, 'no'),
  versionaddendum: k(G, 'none'),
  x11displayoffset: k(M, '10'),
  x11forwarding: k(M, 'no'),
  x11uselocalhost: k(M, 'yes'),
  xauthlocation: k(G),
};

/** servconf.c keyword aliases: several names set one option. */
export const ALIASES: Readonly<Record<string, string>> = {
  challengeresponseauthentication: 'kbdinteractiveauthentication',
  skeyauthentication: 'kbdinteractiveauthentication',
  dsaauthentication: 'pubkeyauthentication',
  pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
  hostbasedacceptedkeytypes: 'hostbasedacceptedalgorithms',
  authorizedkeysfile2: 'authorizedkeysfile',
};

/** The canonical lower-case keyword for a name as written (case-insensitive, aliases folded). */
export function canonicalKeyword(name: string): string {
  const lower = name.toLowerCase();
  return ALIASES[lower] ?? lower;
}
