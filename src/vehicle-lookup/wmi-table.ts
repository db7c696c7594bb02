/**
 * World Manufacturer Identifiers (VIN positions 1-3) and the ISO 3780 region/country ranges.
 *
 * The table is a static subset (vPIC holds ~13,000 WMIs); it exists so a VIN can be decoded and
 * sanity-checked on a call without a network round trip. Rows marked in VIN_FACTS §3.2 come from vPIC
 * captures or fixture decodes; the rest are well-known WMIs from general knowledge. Treat make and
 * country as hints for read-back ("a Honda built in the USA?"), never as proof of validity.
 */

/** Vehicle type as far as the VIN rules care: the position-7 year rule covers car, mpv and light_truck. */
export type VehicleType =
  'car' | 'mpv' | 'light_truck' | 'heavy_truck' | 'bus' | 'motorcycle' | 'trailer' | 'incomplete';

/** One WMI row. */
export interface WmiEntry {
  wmi: string;
  /** The usual make for this WMI; see `makes` when several brands share it. */
  make: string;
  /** Every make built under this WMI, the usual one first (Stellantis and Hyundai group share WMIs). */
  makes: readonly string[];
  manufacturer: string;
  country: string;
  vehicleType: VehicleType;
}

export { countryForVin, regionForVin, type VinRegion } from './wmi-regions.js';

type Row = readonly [
  wmi: string,
  make: string,
  manufacturer: string,
  country: string,
  type: VehicleType,
];

const US = 'United States';
const CA = 'Canada';
const MX = 'Mexico';
const JP = 'Japan';
const KR = 'South Korea';
const DE = 'Germany';
const UK = 'United Kingdom';
const IT = 'Italy';
const CN = 'China';

// prettier-ignore
const ROWS: readonly Row[] = [
  // Honda / Acura
  ['1HG', 'Honda', 'Honda of America Mfg.', US, 'car'],
  ['19X', 'Honda', 'Honda of America Mfg.', US, 'car'],
  ['19U', 'Acura', 'Honda of America Mfg.', US, 'car'],
  ['5FN', 'Honda', 'Honda Manufacturing of Alabama', US, 'mpv'],
  ['5FP', 'Honda', 'Honda Manufacturing of Alabama', US, 'light_truck'],
  ['5J6', 'Honda', 'Honda of America Mfg.', US, 'mpv'],
  ['5J8', 'Acura', 'Honda of America Mfg.', US, 'mpv'],
  ['7FA', 'Honda', 'Honda of America Mfg.', US, 'mpv'],
  ['2HG', 'Honda', 'Honda of Canada Mfg.', CA, 'car'],
  ['2HK', 'Honda', 'Honda of Canada Mfg.', CA, 'mpv'],
  ['2HJ', 'Honda', 'Honda of Canada Mfg.', CA, 'light_truck'],
  ['2HN', 'Acura', 'Honda of Canada Mfg.', CA, 'mpv'],
  ['3HG', 'Honda', 'Honda de Mexico', MX, 'car'],
  ['JHM', 'Honda', 'Honda Motor Co.', JP, 'car'],
  ['JH4', 'Acura', 'Honda Motor Co.', JP, 'car'],
  ['JHL', 'Honda', 'Honda Motor Co.', JP, 'mpv'],
  ['JH2', 'Honda', 'Honda Motor Co. (motorcycles)', JP, 'motorcycle'],
  ['SHH', 'Honda', 'Honda of the UK Manufacturing', UK, 'car'],
  ['LHG', 'Honda', 'GAC Honda Automobile', CN, 'car'],
  // Toyota / Lexus / Scion
  ['4T1', 'Toyota', 'Toyota Motor Manufacturing, Kentucky', US, 'car'],
  ['4T3', 'Toyota', 'Toyota Motor Manufacturing, Kentucky', US, 'mpv'],
  ['5YF', 'Toyota', 'Toyota Motor Manufacturing, Mississippi', US, 'car'],
  ['5TD', 'Toyota', 'Toyota Motor North America', US, 'mpv'],
  ['5TF', 'Toyota', 'Toyota Motor Manufacturing, Texas', US, 'light_truck'],
  ['5TE', 'Toyota', 'Toyota Motor North America', US, 'light_truck'],
  ['58A', 'Lexus', 'Toyota Motor Manufacturing, Kentucky', US, 'car'],
  ['2T1', 'Toyota', 'Toyota Motor Manufacturing Canada', CA, 'car'],
  ['2T2', 'Lexus', 'Toyota Motor Manufacturing Canada', CA, 'mpv'],
  ['2T3', 'Toyota', 'Toyota Motor Manufacturing Canada', CA, 'mpv'],
  ['3TM', 'Toyota', 'Toyota Motor Manufacturing de Baja California', MX, 'light_truck'],
  ['JT2', 'Toyota', 'Toyota Motor Corporation', JP, 'car'],
  ['JT3', 'Toyota', 'Toyota Motor Corporation', JP, 'mpv'],
  ['JT4', 'Toyota', 'Toyota Motor Corporation', JP, 'light_truck'],
  ['JTD', 'Toyota', 'Toyota Motor Corporation', JP, 'car'],
  ['JTE', 'Toyota', 'Toyota Motor Corporation', JP, 'mpv'],
  ['JTM', 'Toyota', 'Toyota Motor Corporation', JP, 'mpv'],
  ['JTN', 'Toyota', 'Toyota Motor Corporation', JP, 'car'],
  ['JT8', 'Lexus', 'Toyota Motor Corporation', JP, 'car'],
  ['JTH', 'Lexus', 'Toyota Motor Corporation', JP, 'car'],
  ['JTJ', 'Lexus', 'Toyota Motor Corporation', JP, 'mpv'],
  ['JTK', 'Scion', 'Toyota Motor Corporation', JP, 'car'],
  ['SB1', 'Toyota', 'Toyota Motor Manufacturing (UK)', UK, 'car'],
  ['VNK', 'Toyota', 'Toyota Motor Manufacturing France', 'France', 'car'],
  ['MR0', 'Toyota', 'Toyota Motor Thailand', 'Thailand', 'light_truck'],
  ['6T1', 'Toyota', 'Toyota Motor Corporation Australia', 'Australia', 'car'],
  ['AHT', 'Toyota', 'Toyota South Africa Motors', 'South Africa', 'light_truck'],
  ['NMT', 'Toyota', 'Toyota Motor Manufacturing Turkey', 'Turkey', 'car'],
  // Nissan / Infiniti
  ['1N4', 'Nissan', 'Nissan North America', US, 'car'],
  ['1N6', 'Nissan', 'Nissan North America', US, 'light_truck'],
  ['5N1', 'Nissan', 'Nissan North America', US, 'mpv'],
  ['5N3', 'Infiniti', 'Nissan North America', US, 'mpv'],
  ['3N1', 'Nissan', 'Nissan Mexicana', MX, 'car'],
  ['3N6', 'Nissan', 'Nissan Mexicana', MX, 'light_truck'],
  ['JN1', 'Nissan', 'Nissan Motor Co.', JP, 'car'],
  ['JN8', 'Nissan', 'Nissan Motor Co.', JP, 'mpv'],
  ['JNK', 'Infiniti', 'Nissan Motor Co.', JP, 'car'],
  ['JNR', 'Infiniti', 'Nissan Motor Co.', JP, 'mpv'],
  ['SJN', 'Nissan', 'Nissan Motor Manufacturing (UK)', UK, 'mpv'],
  ['VSK', 'Nissan', 'Nissan Motor Iberica', 'Spain', 'light_truck'],
  // Ford / Lincoln / Mercury
  ['1FA', 'Ford', 'Ford Motor Company', US, 'car'],
  ['1FM', 'Ford', 'Ford Motor Company', US, 'mpv'],
  ['1FT', 'Ford', 'Ford Motor Company', US, 'light_truck'],
  ['1FD', 'Ford', 'Ford Motor Company', US, 'incomplete'],
  ['1FB', 'Ford', 'Ford Motor Company', US, 'bus'],
  ['1ZV', 'Ford', 'AutoAlliance International', US, 'car'],
  ['2FA', 'Ford', 'Ford Motor Company of Canada', CA, 'car'],
  ['2FM', 'Ford', 'Ford Motor Company of Canada', CA, 'mpv'],
  ['2FT', 'Ford', 'Ford Motor Company of Canada', CA, 'light_truck'],
  ['3FA', 'Ford', 'Ford Motor Company de Mexico', MX, 'car'],
  ['3FM', 'Ford', 'Ford Motor Company de Mexico', MX, 'mpv'],
  ['3FT', 'Ford', 'Ford Motor Company de Mexico', MX, 'light_truck'],
  ['1LN', 'Lincoln', 'Ford Motor Company', US, 'car'],
  ['2LM', 'Lincoln', 'Ford Motor Company of Canada', CA, 'mpv'],
  ['5LM', 'Lincoln', 'Ford Motor Company', US, 'mpv'],
  ['1ME', 'Mercury', 'Ford Motor Company', US, 'car'],
  ['4M2', 'Mercury', 'Ford Motor Company', US, 'mpv'],
  ['WF0', 'Ford', 'Ford-Werke', DE, 'car'],
  ['6FP', 'Ford', 'Ford Motor Company of Australia', 'Australia', 'car'],
  ['MAJ', 'Ford', 'Ford India', 'India', 'car'],
  ['NM0', 'Ford', 'Ford Otosan', 'Turkey', 'light_truck'],
  // General Motors
  ['1G1', 'Chevrolet', 'General Motors', US, 'car'],
  ['1G2', 'Pontiac', 'General Motors', US, 'car'],
  ['1G3', 'Oldsmobile', 'General Motors', US, 'car'],
  ['1G4', 'Buick', 'General Motors', US, 'car'],
  ['1G6', 'Cadillac', 'General Motors', US, 'car'],
  ['1G8', 'Saturn', 'General Motors', US, 'car'],
  ['1GC', 'Chevrolet', 'General Motors', US, 'light_truck'],
  ['1GB', 'Chevrolet', 'General Motors', US, 'incomplete'],
  ['1GN', 'Chevrolet', 'General Motors', US, 'mpv'],
  ['1GK', 'GMC', 'General Motors', US, 'mpv'],
  ['1GT', 'GMC', 'General Motors', US, 'light_truck'],
  ['1GD', 'GMC', 'General Motors', US, 'incomplete'],
  ['1GY', 'Cadillac', 'General Motors', US, 'mpv'],
  ['1GM', 'Pontiac', 'General Motors', US, 'mpv'],
  ['2G1', 'Chevrolet', 'General Motors of Canada', CA, 'car'],
  ['2G2', 'Pontiac', 'General Motors of Canada', CA, 'car'],
  ['2G4', 'Buick', 'General Motors of Canada', CA, 'car'],
  ['2GN', 'Chevrolet', 'General Motors of Canada', CA, 'mpv'],
  ['2GK', 'GMC', 'General Motors of Canada', CA, 'mpv'],
  ['2GC', 'Chevrolet', 'General Motors of Canada', CA, 'light_truck'],
  ['3G1', 'Chevrolet', 'General Motors de Mexico', MX, 'car'],
  ['3GN', 'Chevrolet', 'General Motors de Mexico', MX, 'mpv'],
  ['3GC', 'Chevrolet', 'General Motors de Mexico', MX, 'light_truck'],
  ['3GK', 'GMC', 'General Motors de Mexico', MX, 'mpv'],
  ['3GT', 'GMC', 'General Motors de Mexico', MX, 'light_truck'],
  ['KL4', 'Buick', 'GM Korea', KR, 'mpv'],
  ['KL7', 'Chevrolet', 'GM Korea', KR, 'mpv'],
  ['KL8', 'Chevrolet', 'GM Korea', KR, 'car'],
  ['W06', 'Cadillac', 'Adam Opel (for General Motors)', DE, 'car'],
  ['W0L', 'Opel', 'Adam Opel', DE, 'car'],
  ['6G1', 'Holden', 'General Motors-Holden', 'Australia', 'car'],
  ['9BG', 'Chevrolet', 'General Motors do Brasil', 'Brazil', 'car'],
  ['ADM', 'Chevrolet', 'General Motors South Africa', 'South Africa', 'car'],
  ['LRB', 'Buick', 'SAIC-GM', CN, 'mpv'],
  // Stellantis (Chrysler, Dodge, Jeep, Ram, Fiat, Alfa Romeo, Maserati, Peugeot, Citroen, Opel)
  ['1C3', 'Chrysler', 'FCA US', US, 'car'],
  ['1C4', 'Jeep', 'FCA US', US, 'mpv'],
  ['1C6', 'Ram', 'FCA US', US, 'light_truck'],
  ['1B3', 'Dodge', 'Chrysler Corporation', US, 'car'],
  ['1B4', 'Dodge', 'Chrysler Corporation', US, 'mpv'],
  ['1B7', 'Dodge', 'Chrysler Corporation', US, 'light_truck'],
  ['1D7', 'Dodge', 'Chrysler Corporation', US, 'light_truck'],
  ['1J4', 'Jeep', 'Chrysler Corporation', US, 'mpv'],
  ['1J8', 'Jeep', 'Chrysler Corporation', US, 'mpv'],
  ['2C3', 'Chrysler', 'FCA Canada', CA, 'car'],
  ['2C4', 'Chrysler', 'FCA Canada', CA, 'mpv'],
  ['2B3', 'Dodge', 'Chrysler Canada', CA, 'car'],
  ['3C3', 'Fiat', 'FCA Mexico', MX, 'car'],
  ['3C4', 'Chrysler', 'FCA Mexico', MX, 'mpv'],
  ['3C6', 'Ram', 'FCA Mexico', MX, 'light_truck'],
  ['3D7', 'Dodge', 'Chrysler de Mexico', MX, 'light_truck'],
  ['ZAC', 'Jeep', 'FCA Italy', IT, 'mpv'],
  ['ZFA', 'Fiat', 'FCA Italy', IT, 'car'],
  ['ZAR', 'Alfa Romeo', 'FCA Italy', IT, 'car'],
  ['ZAM', 'Maserati', 'Maserati', IT, 'car'],
  ['9BD', 'Fiat', 'Fiat Automoveis', 'Brazil', 'car'],
  ['8AP', 'Fiat', 'Fiat Auto Argentina', 'Argentina', 'car'],
  ['VF3', 'Peugeot', 'Automobiles Peugeot', 'France', 'car'],
  ['VF7', 'Citroen', 'Automobiles Citroen', 'France', 'car'],
  ['VF1', 'Renault', 'Renault', 'France', 'car'],
  // Hyundai / Kia / Genesis
  ['KMH', 'Hyundai', 'Hyundai Motor Company', KR, 'car'],
  ['KM8', 'Hyundai', 'Hyundai Motor Company', KR, 'mpv'],
  ['KMT', 'Genesis', 'Hyundai Motor Company', KR, 'car'],
  ['KMU', 'Genesis', 'Hyundai Motor Company', KR, 'mpv'],
  ['5NP', 'Hyundai', 'Hyundai Motor Manufacturing Alabama', US, 'car'],
  ['5NM', 'Hyundai', 'Hyundai Motor Manufacturing Alabama', US, 'mpv'],
  ['5NT', 'Hyundai', 'Hyundai Motor Manufacturing Alabama', US, 'light_truck'],
  ['2HM', 'Hyundai', 'Hyundai Auto Canada', CA, 'car'],
  ['MAL', 'Hyundai', 'Hyundai Motor India', 'India', 'car'],
  ['TMA', 'Hyundai', 'Hyundai Motor Manufacturing Czech', 'Czech Republic', 'car'],
  ['KNA', 'Kia', 'Kia Corporation', KR, 'car'],
  ['KND', 'Kia', 'Kia Corporation', KR, 'mpv'],
  ['5XY', 'Kia', 'Kia Georgia', US, 'mpv'],
  ['5XX', 'Kia', 'Kia Georgia', US, 'car'],
  ['3KP', 'Kia', 'Kia Mexico', MX, 'car'],
  ['U5Y', 'Kia', 'Kia Slovakia', 'Slovakia', 'car'],
  // Volkswagen group
  ['WVW', 'Volkswagen', 'Volkswagen AG', DE, 'car'],
  ['WVG', 'Volkswagen', 'Volkswagen AG', DE, 'mpv'],
  ['WV1', 'Volkswagen', 'Volkswagen Commercial Vehicles', DE, 'light_truck'],
  ['WV2', 'Volkswagen', 'Volkswagen Commercial Vehicles', DE, 'mpv'],
  ['1VW', 'Volkswagen', 'Volkswagen Group of America Chattanooga', US, 'car'],
  ['1V2', 'Volkswagen', 'Volkswagen Group of America Chattanooga', US, 'mpv'],
  ['3VW', 'Volkswagen', 'Volkswagen de Mexico', MX, 'car'],
  ['3VV', 'Volkswagen', 'Volkswagen de Mexico', MX, 'mpv'],
  ['9BW', 'Volkswagen', 'Volkswagen do Brasil', 'Brazil', 'car'],
  ['AAV', 'Volkswagen', 'Volkswagen of South Africa', 'South Africa', 'car'],
  ['LFV', 'Volkswagen', 'FAW-Volkswagen', CN, 'car'],
  ['LSV', 'Volkswagen', 'SAIC Volkswagen', CN, 'car'],
  ['VSS', 'SEAT', 'SEAT', 'Spain', 'car'],
  ['TMB', 'Skoda', 'Skoda Auto', 'Czech Republic', 'car'],
  ['WAU', 'Audi', 'Audi AG', DE, 'car'],
  ['WA1', 'Audi', 'Audi AG', DE, 'mpv'],
  ['WUA', 'Audi', 'Audi Sport GmbH', DE, 'car'],
  ['TRU', 'Audi', 'Audi Hungaria', 'Hungary', 'car'],
  ['WP0', 'Porsche', 'Dr. Ing. h.c. F. Porsche AG', DE, 'car'],
  ['WP1', 'Porsche', 'Dr. Ing. h.c. F. Porsche AG', DE, 'mpv'],
  ['ZHW', 'Lamborghini', 'Automobili Lamborghini', IT, 'car'],
  ['SCB', 'Bentley', 'Bentley Motors', UK, 'car'],
  ['ZDM', 'Ducati', 'Ducati Motor Holding', IT, 'motorcycle'],
  // BMW group
  ['WBA', 'BMW', 'BMW AG', DE, 'car'],
  ['WBS', 'BMW', 'BMW M GmbH', DE, 'car'],
  ['WBX', 'BMW', 'BMW AG', DE, 'mpv'],
  ['WBY', 'BMW', 'BMW AG', DE, 'car'],
  ['WB1', 'BMW', 'BMW Motorrad', DE, 'motorcycle'],
  ['5UX', 'BMW', 'BMW Manufacturing Co.', US, 'mpv'],
  ['5YM', 'BMW', 'BMW Manufacturing Co.', US, 'mpv'],
  ['4US', 'BMW', 'BMW Manufacturing Co.', US, 'car'],
  ['LBV', 'BMW', 'BMW Brilliance Automotive', CN, 'car'],
  ['WMW', 'MINI', 'BMW AG', DE, 'car'],
  ['SCA', 'Rolls-Royce', 'Rolls-Royce Motor Cars', UK, 'car'],
  // Mercedes-Benz
  ['WDB', 'Mercedes-Benz', 'Daimler AG', DE, 'car'],
  ['WDD', 'Mercedes-Benz', 'Daimler AG', DE, 'car'],
  ['WDC', 'Mercedes-Benz', 'Daimler AG', DE, 'mpv'],
  ['W1K', 'Mercedes-Benz', 'Mercedes-Benz AG', DE, 'car'],
  ['W1N', 'Mercedes-Benz', 'Mercedes-Benz AG', DE, 'mpv'],
  ['WD3', 'Mercedes-Benz', 'Daimler AG (Sprinter)', DE, 'light_truck'],
  ['4JG', 'Mercedes-Benz', 'Mercedes-Benz U.S. International', US, 'mpv'],
  ['55S', 'Mercedes-Benz', 'Mercedes-Benz U.S. International', US, 'car'],
  ['WME', 'smart', 'smart GmbH', DE, 'car'],
  // Tesla and other EV makers
  ['5YJ', 'Tesla', 'Tesla, Inc.', US, 'car'],
  ['7SA', 'Tesla', 'Tesla, Inc.', US, 'mpv'],
  ['7G2', 'Tesla', 'Tesla, Inc.', US, 'light_truck'],
  ['LRW', 'Tesla', 'Tesla (Shanghai)', CN, 'car'],
  ['XP7', 'Tesla', 'Tesla Manufacturing Brandenburg', DE, 'mpv'],
  ['SFZ', 'Tesla', 'Tesla (Lotus-built Roadster)', UK, 'car'],
  ['7FC', 'Rivian', 'Rivian Automotive', US, 'light_truck'],
  ['7PD', 'Rivian', 'Rivian Automotive', US, 'mpv'],
  ['50E', 'Lucid', 'Lucid USA', US, 'car'],
  ['LPS', 'Polestar', 'Polestar Automotive', CN, 'car'],
  // Subaru, Mazda, Mitsubishi, Suzuki, Isuzu
  ['JF1', 'Subaru', 'Subaru Corporation', JP, 'car'],
  ['JF2', 'Subaru', 'Subaru Corporation', JP, 'mpv'],
  ['4S3', 'Subaru', 'Subaru of Indiana Automotive', US, 'car'],
  ['4S4', 'Subaru', 'Subaru of Indiana Automotive', US, 'mpv'],
  ['JM1', 'Mazda', 'Mazda Motor Corporation', JP, 'car'],
  ['JM3', 'Mazda', 'Mazda Motor Corporation', JP, 'mpv'],
  ['JMZ', 'Mazda', 'Mazda Motor Corporation (Europe)', JP, 'car'],
  ['3MZ', 'Mazda', 'Mazda de Mexico', MX, 'car'],
  ['3MV', 'Mazda', 'Mazda de Mexico', MX, 'mpv'],
  ['1YV', 'Mazda', 'AutoAlliance International', US, 'car'],
  ['4F2', 'Mazda', 'Ford Motor Company (for Mazda)', US, 'mpv'],
  ['4F4', 'Mazda', 'Ford Motor Company (for Mazda)', US, 'light_truck'],
  ['7MM', 'Mazda', 'Mazda Toyota Manufacturing', US, 'mpv'],
  ['JA3', 'Mitsubishi', 'Mitsubishi Motors', JP, 'car'],
  ['JA4', 'Mitsubishi', 'Mitsubishi Motors', JP, 'mpv'],
  ['4A3', 'Mitsubishi', 'Mitsubishi Motors North America', US, 'car'],
  ['4A4', 'Mitsubishi', 'Mitsubishi Motors North America', US, 'mpv'],
  ['ML3', 'Mitsubishi', 'Mitsubishi Motors Thailand', 'Thailand', 'car'],
  ['MMB', 'Mitsubishi', 'Mitsubishi Motors Thailand', 'Thailand', 'light_truck'],
  ['JS2', 'Suzuki', 'Suzuki Motor Corporation', JP, 'car'],
  ['JS3', 'Suzuki', 'Suzuki Motor Corporation', JP, 'mpv'],
  ['JS1', 'Suzuki', 'Suzuki Motor Corporation (motorcycles)', JP, 'motorcycle'],
  ['TSM', 'Suzuki', 'Magyar Suzuki', 'Hungary', 'car'],
  ['MA3', 'Suzuki', 'Maruti Suzuki India', 'India', 'car'],
  ['JAA', 'Isuzu', 'Isuzu Motors', JP, 'light_truck'],
  ['JAL', 'Isuzu', 'Isuzu Motors', JP, 'heavy_truck'],
  ['MPA', 'Isuzu', 'Isuzu Motors Thailand', 'Thailand', 'light_truck'],
  // Volvo, Saab, Jaguar Land Rover and other European makers
  ['YV1', 'Volvo', 'Volvo Car Corporation', 'Sweden', 'car'],
  ['YV4', 'Volvo', 'Volvo Car Corporation', 'Sweden', 'mpv'],
  ['LYV', 'Volvo', 'Volvo Cars (China)', CN, 'mpv'],
  ['7JR', 'Volvo', 'Volvo Car US Operations', US, 'car'],
  ['YS3', 'Saab', 'Saab Automobile', 'Sweden', 'car'],
  ['YT9', 'Koenigsegg', 'Koenigsegg Automotive', 'Sweden', 'car'],
  ['SAL', 'Land Rover', 'Jaguar Land Rover', UK, 'mpv'],
  ['SAJ', 'Jaguar', 'Jaguar Land Rover', UK, 'car'],
  ['SAD', 'Jaguar', 'Jaguar Land Rover', UK, 'mpv'],
  ['SCC', 'Lotus', 'Lotus Cars', UK, 'car'],
  ['SCF', 'Aston Martin', 'Aston Martin Lagonda', UK, 'car'],
  ['ZFF', 'Ferrari', 'Ferrari S.p.A.', IT, 'car'],
  ['XTA', 'Lada', 'AvtoVAZ', 'Russia', 'car'],
  // Chinese and Indian makers
  ['LGX', 'BYD', 'BYD Auto', CN, 'car'],
  ['LSJ', 'MG', 'SAIC Motor', CN, 'car'],
  ['MA1', 'Mahindra', 'Mahindra & Mahindra', 'India', 'mpv'],
  ['MAT', 'Tata', 'Tata Motors', 'India', 'car'],
  // Heavy trucks, buses and trailers (the position-7 year rule does not apply)
  ['1FU', 'Freightliner', 'Daimler Trucks North America', US, 'heavy_truck'],
  ['1FV', 'Freightliner', 'Daimler Trucks North America', US, 'heavy_truck'],
  ['3AK', 'Freightliner', 'Daimler Trucks North America (Mexico)', MX, 'heavy_truck'],
  ['4UZ', 'Freightliner', 'Freightliner Custom Chassis', US, 'incomplete'],
  ['5KJ', 'Western Star', 'Daimler Trucks North America', US, 'heavy_truck'],
  ['1XK', 'Kenworth', 'PACCAR', US, 'heavy_truck'],
  ['1XP', 'Peterbilt', 'PACCAR', US, 'heavy_truck'],
  ['1NP', 'Peterbilt', 'PACCAR', US, 'heavy_truck'],
  ['1M1', 'Mack', 'Mack Trucks', US, 'heavy_truck'],
  ['1M2', 'Mack', 'Mack Trucks', US, 'heavy_truck'],
  ['4V4', 'Volvo Trucks', 'Volvo Trucks North America', US, 'heavy_truck'],
  ['YV2', 'Volvo Trucks', 'AB Volvo', 'Sweden', 'heavy_truck'],
  ['1HT', 'International', 'Navistar', US, 'heavy_truck'],
  ['1HS', 'International', 'Navistar', US, 'heavy_truck'],
  ['3HS', 'International', 'Navistar Mexico', MX, 'heavy_truck'],
  ['WMA', 'MAN', 'MAN Truck & Bus', DE, 'heavy_truck'],
  ['1M8', 'Motor Coach Industries', 'Motor Coach Industries', US, 'bus'],
  ['4DR', 'IC Bus', 'Navistar', US, 'bus'],
  ['1BA', 'Blue Bird', 'Blue Bird Corporation', US, 'bus'],
  ['1T7', 'Thomas Built Buses', 'Thomas Built Buses', US, 'bus'],
  ['1JJ', 'Wabash', 'Wabash National', US, 'trailer'],
  ['1GR', 'Great Dane', 'Great Dane Trailers', US, 'trailer'],
  ['1UY', 'Utility', 'Utility Trailer Manufacturing', US, 'trailer'],
  // Motorcycles
  ['1HD', 'Harley-Davidson', 'Harley-Davidson Motor Company', US, 'motorcycle'],
  ['56K', 'Indian', 'Indian Motorcycle Company', US, 'motorcycle'],
  ['5VP', 'Victory', 'Victory Motorcycles', US, 'motorcycle'],
  ['JKA', 'Kawasaki', 'Kawasaki Heavy Industries', JP, 'motorcycle'],
  ['JYA', 'Yamaha', 'Yamaha Motor Co.', JP, 'motorcycle'],
  ['SMT', 'Triumph', 'Triumph Motorcycles', UK, 'motorcycle'],
  ['VBK', 'KTM', 'KTM AG', 'Austria', 'motorcycle'],
  ['ZAP', 'Piaggio', 'Piaggio & C.', IT, 'motorcycle'],
];

/**
 * WMIs several brands share: the VIN's own make cannot be told from positions 1-3 alone (vPIC
 * resolves it from the VDS). The decode then says which makes are possible instead of guessing.
 */
const SHARED_MAKES: Readonly<Record<string, readonly string[]>> = {
  '1C3': ['Chrysler', 'Dodge'],
  '1C4': ['Jeep', 'Chrysler', 'Dodge'],
  '1C6': ['Ram', 'Dodge'],
  '2C3': ['Chrysler', 'Dodge'],
  '2C4': ['Chrysler', 'Dodge'],
  '3C4': ['Chrysler', 'Dodge', 'Jeep'],
  '3C6': ['Ram', 'Dodge'],
  '5XY': ['Kia', 'Hyundai'],
  KMH: ['Hyundai', 'Genesis'],
};

const TABLE: ReadonlyMap<string, WmiEntry> = new Map(
  ROWS.map(([wmi, make, manufacturer, country, vehicleType]) => [
    wmi,
    Object.freeze({
      wmi,
      make,
      makes: Object.freeze([...(SHARED_MAKES[wmi] ?? [make])]),
      manufacturer,
      country,
      vehicleType,
    }),
  ]),
);

/** Every WMI entry, for listing and tests. */
export const WMI_ENTRIES: readonly WmiEntry[] = [...TABLE.values()];

/** Looks up the first three characters of a VIN (or a bare WMI); undefined when unknown. */
export function lookupWmi(vinOrWmi: string): WmiEntry | undefined {
  return TABLE.get(vinOrWmi.slice(0, 3).toUpperCase());
}

/** Whether the position-7 model-year rule (49 CFR 565.15 Table VII note) applies to this type. */
export function isLightVehicle(type: VehicleType): boolean {
  return type === 'car' || type === 'mpv' || type === 'light_truck';
}
