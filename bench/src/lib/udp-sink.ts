// A stand-in for the X-Ray daemon Lambda runs beside a traced function: a UDP socket on
// 127.0.0.1 that reads every datagram and keeps only counts, so an exporter does its whole work
// (encode, send) and never waits on a network.
import { createSocket } from 'node:dgram';

/** What a {@link startUdpSink} socket has received so far. */
export interface UdpReceived {
  datagrams: number;
  bytes: number;
}

/** A listening sink: its `host:port` (the form of `AWS_XRAY_DAEMON_ADDRESS`) and its counts. */
export interface UdpSink {
  address: string;
  received(): UdpReceived;
  close(): Promise<void>;
}

/** Opens a UDP socket on a free port of 127.0.0.1 that counts the datagrams it receives. */
export async function startUdpSink(): Promise<UdpSink> {
  const socket = createSocket('udp4');
  const received: UdpReceived = { datagrams: 0, bytes: 0 };
  socket.on('message', (message: Buffer) => {
    received.datagrams++;
    received.bytes += message.length;
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return {
    address: `127.0.0.1:${socket.address().port}`,
    received: () => ({ ...received }),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
