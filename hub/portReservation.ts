// The WebRtcServer ports are fixed (RTC_PORT_BASE + worker index). When they
// lie in the kernel's ephemeral range, any outgoing connection may take one,
// and a worker then fails to listen on restart ("address already in use").
// Say so at start, with the command that reserves them.
import fs from 'node:fs';

export interface PortRange {
  min: number;
  max: number;
}

/** Parses "32768\t60999" (ip_local_port_range) or "40000-40999,50000" (ip_local_reserved_ports). */
export function parsePortRanges(text: string): PortRange[] {
  return text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((part) => {
      const [a, b] = part.split('-').map(Number);
      return { min: a as number, max: (b ?? a) as number };
    })
    .filter((r) => Number.isInteger(r.min) && Number.isInteger(r.max));
}

/** The ports of `wanted` inside the ephemeral range and not reserved, as one range, or null. */
export function unreservedEphemeral(wanted: PortRange, ephemeral: PortRange, reserved: PortRange[]): PortRange | null {
  const exposed: number[] = [];
  for (let port = wanted.min; port <= wanted.max; port++) {
    if (port < ephemeral.min || port > ephemeral.max) continue;
    if (reserved.some((r) => port >= r.min && port <= r.max)) continue;
    exposed.push(port);
  }
  return exposed.length ? { min: exposed[0] as number, max: exposed.at(-1) as number } : null;
}

/** A warning for the log when this machine may hand the WebRtcServer ports to other sockets, else null. */
export function portReservationWarning(wanted: PortRange): string | null {
  let ephemeralText: string;
  let reservedText: string;
  try {
    ephemeralText = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    reservedText = fs.readFileSync('/proc/sys/net/ipv4/ip_local_reserved_ports', 'utf8');
  } catch {
    return null; // not Linux, or /proc hidden: nothing to check
  }
  const [ephemeral] = parsePortRanges(ephemeralText.replace(/\s+/, '-'));
  if (!ephemeral) return null;
  const exposed = unreservedEphemeral(wanted, ephemeral, parsePortRanges(reservedText));
  if (!exposed) return null;
  return (
    `WebRTC ports ${exposed.min}-${exposed.max} are in the kernel's ephemeral range (${ephemeral.min}-${ephemeral.max}): ` +
    `an outgoing connection may take one and a restarted worker would fail to listen. Reserve them: ` +
    `sysctl -w net.ipv4.ip_local_reserved_ports=${wanted.min}-${wanted.max} (and in /etc/sysctl.d/), or set RTC_PORT_BASE below ${ephemeral.min}.`
  );
}
