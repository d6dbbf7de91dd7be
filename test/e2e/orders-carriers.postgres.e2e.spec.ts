import { describeOrdersAtEveryCarrier } from '../support/orders-carriers';

describeOrdersAtEveryCarrier('postgres');
