/**
 * Where a package writes its lines (log lines, EMF metric lines): anything with a synchronous
 * `write(line)`, such as a pino `DestinationStream`. Each call receives one complete line ending
 * in `\n`; synchronous because Lambda may freeze the process as soon as the handler settles.
 */
export interface LineDestination {
  write(line: string): void;
}
