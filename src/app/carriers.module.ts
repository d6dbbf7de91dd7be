import { Global, Module } from '@nestjs/common';
import { CARRIER_CIRCUITS } from '../health/providers.indicator';
import { SEARCH_CARRIERS } from '../numbers/search-carrier';
import { KNOWN_PROVIDERS, ORDERING_CARRIERS } from '../orders/ordering-carriers';
import { PROVIDER_NAMES } from '../providers/registry';
import { Carriers } from './carriers';

/** Binds the enabled carriers to what the search, ordering and readiness ask for. */
@Global()
@Module({
  providers: [
    Carriers,
    { provide: SEARCH_CARRIERS, inject: [Carriers], useFactory: (c: Carriers) => c.search },
    { provide: CARRIER_CIRCUITS, inject: [Carriers], useFactory: (c: Carriers) => c.circuits },
    { provide: ORDERING_CARRIERS, inject: [Carriers], useFactory: (c: Carriers) => c.ordering },
    { provide: KNOWN_PROVIDERS, useValue: PROVIDER_NAMES },
  ],
  exports: [SEARCH_CARRIERS, CARRIER_CIRCUITS, ORDERING_CARRIERS, KNOWN_PROVIDERS],
})
export class CarriersModule {}
