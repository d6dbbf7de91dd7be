import { Global, Module } from '@nestjs/common';
import { Authenticator } from './authenticator';

/** Who a request is (Authenticator), for the global guard and for the search's fast path. */
@Global()
@Module({ providers: [Authenticator], exports: [Authenticator] })
export class AuthModule {}
