import { describeOrdersAtEveryCarrier } from '../support/orders-carriers';

describeOrdersAtEveryCarrier('pglite');
