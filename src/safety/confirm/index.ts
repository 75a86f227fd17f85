/** The confirm flow: a hook asks the session's broker; the broker asks a person or applies the policy. */
export { startConfirmBroker, type ConfirmBroker, type ConfirmBrokerOptions } from './broker.js';
export { CONFIRM_ENV, formatEndpoint, parseEndpoint, type ConfirmEndpoint } from './endpoint.js';
export { createConfirmDecider, type AskFn, type ConfirmDeciderOptions } from './decider.js';
export { requestConfirmation } from './request-confirmation.js';
export { ConfirmRequestSchema, type ConfirmAnswer, type ConfirmDecider, type ConfirmRequest } from './types.js';
