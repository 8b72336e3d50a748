/**
 * reseq-client: send messages to reseq and receive them, in order, at an HTTP destination.
 *
 * @packageDocumentation
 */
export { ReseqClient, type BatchReceipt, type ReseqClientOptions } from './client.js';
export { type BatchMessage, type OutgoingMessage, type Payload, type SendOptions } from './outgoing.js';
export { ReseqError, type Problem } from './errors.js';
export { type RetryOptions } from './retry.js';
export {
  orderedReceiver,
  type ReceivedMessage,
  type MessageHandler,
  type OrderedReceiverOptions,
  type OrderedRequestHandler,
} from './receiver.js';
export { MemorySequenceStore, keyValueSequenceStore, type SequenceStore, type KeyValueStore } from './store.js';
export type {
  BuiltInTransform,
  Channel,
  ChannelConfig,
  DeadLetter,
  Destination,
  DestinationConfig,
  DestinationStatus,
  OperatorAction,
  HeadersTransform,
  PluginTransform,
  SendReceipt,
  Transform,
  TransformType,
} from './types.js';
export {
  transformHandler,
  type TransformFunction,
  type TransformHandlerOptions,
  type TransformRequestHandler,
  type RawRequestHolder,
  type RawReplyHolder,
} from './transform.js';
export type { TransformMessage, TransformReply, TransformResult } from './transform-wire.js';
export { PermanentTransformError, RetryTransformError, type RetryTransformErrorOptions } from './transform-errors.js';
