import {
  serviceErrorOf,
  unexpectedResponse,
  type KnownErrorStatus,
  type ServiceErrorWithStatus,
  type UnexpectedResponseError,
} from './errors';
import type { operations } from './schema';
import type { Answer } from './transport';

/** An operation of the served document, by its operationId. */
export type OperationId = keyof operations;

type SuccessStatus = 200 | 201 | 202 | 204;
/** Every error status the document lists for an operation. */
type ErrorStatusOf<Id extends OperationId> = Exclude<keyof operations[Id]['responses'], SuccessStatus> & number;
/** Those of them this client has a typed error for. */
type TypedErrorStatusOf<Id extends OperationId> = Extract<ErrorStatusOf<Id>, KnownErrorStatus>;

/** The typed errors the document lists for an operation (the transport errors come on top). */
export type DocumentedErrorOf<Id extends OperationId> = ServiceErrorWithStatus<TypedErrorStatusOf<Id>>;

/** What the client needs to know of an operation at run time. */
export interface OperationSpec<Id extends OperationId> {
  readonly id: Id;
  /** Statuses whose envelope becomes a typed error; any other status is an `unexpected_response`. */
  readonly errorStatuses: ReadonlySet<number>;
}

/**
 * Declares an operation with the error statuses it documents. The object must name exactly the statuses of
 * the generated document that have a typed error, so the run-time list and the result type cannot drift: a
 * regenerated document that adds one (say 403 once `forbidden` is typed) stops this from compiling until
 * it is listed.
 */
export function defineOperation<Id extends OperationId>(
  id: Id,
  errorStatuses: { readonly [Status in TypedErrorStatusOf<Id>]: true },
): OperationSpec<Id> {
  return { id, errorStatuses: new Set(Object.keys(errorStatuses).map(Number)) };
}

/**
 * The result of an answer that is not the operation's success: its typed error when the status is one the
 * operation documents and the body is the service's envelope, an `unexpected_response` otherwise.
 */
export function errorOutcome<Id extends OperationId>(
  operation: OperationSpec<Id>,
  answer: Answer,
): { readonly ok: false; readonly error: DocumentedErrorOf<Id> | UnexpectedResponseError } {
  const body = answer.error ?? answer.data;
  // The cast holds at run time: serviceErrorOf only returns errors whose status is in errorStatuses, which
  // defineOperation made equal to the statuses of DocumentedErrorOf<Id>.
  const typed = serviceErrorOf(answer.response, body, operation.errorStatuses) as DocumentedErrorOf<Id> | undefined;
  return { ok: false, error: typed ?? unexpectedResponse(answer.response, body, whyUnexpected(operation, answer.response)) };
}

function whyUnexpected(operation: OperationSpec<OperationId>, response: Response): string {
  if (response.status >= 300 && response.status < 400) {
    // Redirects are not followed (the key would go with them).
    return `a redirect to ${response.headers.get('location') ?? '(no Location header)'}, not followed: set baseUrl to the service's own address`;
  }
  return `not an answer ${operation.id} documents`;
}
