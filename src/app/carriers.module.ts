import { Global, Module } from '@nestjs/common';
import { CARRIER_CIRCUITS } from '../health/providers.indicator';
import { SEARCH_CARRIERS } from '../numbers/search-carrier';
import { Carriers } from './carriers';

/** Binds the enabled carriers to what the search and readiness ask for. */
@Global()
@Module({
  providers: [
    Carriers,
    { provide: SEARCH_CARRIERS, inject: [Carriers], useFactory: (c: Carriers) => c.search },
    { provide: CARRIER_CIRCUITS, inject: [Carriers], useFactory: (c: Carriers) => c.circuits },
  ],
  exports: [SEARCH_CARRIERS, CARRIER_CIRCUITS],
})
export class CarriersModule {}
