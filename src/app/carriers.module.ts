import { Global, Module } from '@nestjs/common';
import { CARRIER_CIRCUITS } from '../health/providers.indicator';
import { SEARCH_CARRIERS } from '../numbers/search-carrier';
import { ORDERING_CARRIERS } from '../orders/ordering-carriers';
import { Carriers } from './carriers';

/** Binds the enabled carriers to what the search, ordering and readiness ask for. */
@Global()
@Module({
  providers: [
    Carriers,
    { provide: SEARCH_CARRIERS, inject: [Carriers], useFactory: (c: Carriers) => c.search },
    { provide: CARRIER_CIRCUITS, inject: [Carriers], useFactory: (c: Carriers) => c.circuits },
    { provide: ORDERING_CARRIERS, inject: [Carriers], useFactory: (c: Carriers) => c.ordering },
  ],
  exports: [SEARCH_CARRIERS, CARRIER_CIRCUITS, ORDERING_CARRIERS],
})
export class CarriersModule {}
