/**
 * Port names without the network or /etc/services: a built-in excerpt of Debian netbase's services file (the
 * entries an LVS usually fronts). ipvsadm asks getservbyname()/getservbyport(); lvsadm asks this table, so
 * its listings and `-t vip:http` arguments do not depend on the host's files. A port not listed prints as a
 * number, as getservbyport() failing does.
 */
import type { Protocol } from '../model/protocol.js';

/** "name port protos aliases…" as netbase lists them; the first name for a port/protocol is its canonical one. */
const SERVICES = `
echo 7 tcp,udp
discard 9 tcp,udp sink null
daytime 13 tcp,udp
ftp-data 20 tcp
ftp 21 tcp
ssh 22 tcp
telnet 23 tcp
smtp 25 tcp mail
time 37 tcp,udp timserver
whois 43 tcp nicname
domain 53 tcp,udp
bootps 67 udp
bootpc 68 udp
tftp 69 udp
gopher 70 tcp
finger 79 tcp
http 80 tcp www
kerberos 88 tcp,udp kerberos5 krb5 kerberos-sec
pop3 110 tcp pop-3
sunrpc 111 tcp,udp portmapper
auth 113 tcp authentication tap ident
nntp 119 tcp readnews untp
ntp 123 udp
netbios-ns 137 udp
netbios-dgm 138 udp
netbios-ssn 139 tcp
imap2 143 tcp imap
snmp 161 tcp,udp
snmp-trap 162 tcp,udp snmptrap
bgp 179 tcp
ldap 389 tcp,udp
https 443 tcp,udp
microsoft-ds 445 tcp
submissions 465 tcp ssmtp smtps urd
isakmp 500 udp
syslog 514 udp
printer 515 tcp spooler
rtsp 554 tcp,udp
submission 587 tcp
ipp 631 tcp
ldaps 636 tcp,udp
domain-s 853 tcp,udp
rsync 873 tcp
ftps-data 989 tcp
ftps 990 tcp
imaps 993 tcp
pop3s 995 tcp
socks 1080 tcp
openvpn 1194 tcp,udp
ms-sql-s 1433 tcp
ms-sql-m 1434 udp
radius 1812 tcp,udp
radius-acct 1813 tcp,udp radacct
nfs 2049 tcp,udp
mysql 3306 tcp
ms-wbt-server 3389 tcp
svn 3690 tcp subversion
ipsec-nat-t 4500 udp
sip 5060 tcp,udp
sip-tls 5061 tcp,udp
xmpp-client 5222 tcp jabber-client
xmpp-server 5269 tcp jabber-server
mdns 5353 udp
postgresql 5432 tcp postgres
amqps 5671 tcp
amqp 5672 tcp,sctp
redis 6379 tcp
http-alt 8080 tcp webcache
puppet 8140 tcp
git 9418 tcp
webmin 10000 tcp
zabbix-agent 10050 tcp
zabbix-trapper 10051 tcp
`;

interface Service { readonly name: string; readonly port: number; readonly protocols: readonly Protocol[]; readonly aliases: readonly string[] }

const TABLE: readonly Service[] = SERVICES.trim().split('\n').map((line) => {
  const [name, port, protos, ...aliases] = line.split(' ');
  return { name: name!, port: Number(port), protocols: protos!.split(',') as Protocol[], aliases };
});

/** getservbyport(): the canonical name of a port for a protocol, or null. */
export function portName(port: number, protocol: Protocol | null): string | null {
  if (protocol === null) return null;
  return TABLE.find((s) => s.port === port && s.protocols.includes(protocol))?.name ?? null;
}

/** getservbyname(): the port a name or alias stands for under a protocol, or null. */
export function portByName(name: string, protocol: Protocol | null): number | null {
  if (protocol === null) return null;
  const hit = TABLE.find((s) => s.protocols.includes(protocol) && (s.name === name || s.aliases.includes(name)));
  return hit?.port ?? null;
}
