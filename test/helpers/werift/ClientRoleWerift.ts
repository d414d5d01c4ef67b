// msc-node's werift handler, with werift as the DTLS *client* on every
// transport. msc-node makes werift the DTLS server on send transports; under
// CPU saturation some of those handshakes hang for good (ICE connected, DTLS
// connecting). As the client werift drives the handshake and retransmits its
// own flights, and no hang was seen in 600 bots (../shared/LOAD-BOTS.md).
import type { HandlerFactory } from 'msc-node/lib/handlers/HandlerInterface.js';
import { Werift } from 'msc-node/lib/handlers/werift.js';

type WeriftCapabilities = ConstructorParameters<typeof Werift>[0];
type SetupTransport = (options: { localDtlsRole: 'client' | 'server'; localSdpObject?: unknown }) => Promise<void>;

export class ClientRoleWerift extends Werift {
  static clientRoleFactory(capabilities: WeriftCapabilities): HandlerFactory {
    return () => new ClientRoleWerift(capabilities);
  }

  constructor(capabilities: WeriftCapabilities) {
    super(capabilities);
    // `_setupTransport` is private in msc-node's typings, so it is wrapped per
    // instance: whatever role msc-node asks for, werift connects as client and
    // the remote SDP tells mediasoup to be the server.
    const self = this as unknown as { _setupTransport: SetupTransport };
    const original = self._setupTransport.bind(this);
    self._setupTransport = (options) => original({ ...options, localDtlsRole: 'client' });
  }
}
